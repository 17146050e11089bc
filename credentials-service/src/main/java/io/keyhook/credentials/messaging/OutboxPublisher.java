package io.keyhook.credentials.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.keyhook.common.concurrent.BackgroundLoop;
import io.keyhook.common.messaging.OrderedSender;
import io.keyhook.common.messaging.OutboxRelay;
import io.keyhook.credentials.config.KafkaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Publishes {@code credentials.outbox} to the compacted {@code keyhook.credentials} and {@code keyhook.environments}
 * topics through the shared {@link OutboxRelay}: id order, one publisher at a time, only acknowledged rows deleted.
 */
@ApplicationScoped
public class OutboxPublisher {

    // arbitrary but fixed: "keyhook-credentials-outbox"
    private static final long LOCK_ID = 0x6b68_6f75_7462_6f78L;

    @Inject
    Pool pool;

    @Inject
    KafkaConfig config;

    @Inject
    MeterRegistry registry;

    private OrderedSender sender;
    private OutboxRelay relay;
    private BackgroundLoop loop;

    // a thread of its own: the Quarkus scheduler cannot poll more often than once a second, and
    // publishing blocks on the broker, which must never hold a Vert.x or shared worker thread
    void start(@Observes StartupEvent event) {
        sender = new OrderedSender(config.bootstrapServers(), config.sendTimeout(), "credentials-service-outbox",
                List.of(OrderedSender.compacted(config.credentialsTopic(), config.partitions(),
                        config.replicationFactor()),
                        OrderedSender.compacted(config.environmentsTopic(), config.partitions(),
                                config.replicationFactor())));
        relay = new OutboxRelay(pool, sender, "credentials", LOCK_ID, config.outboxBatchSize());
        registry.gauge("keyhook.outbox.pending", relay.pending());
        loop = BackgroundLoop.start("keyhook-outbox-publisher", Duration.ofMillis(500), config.outboxInterval(),
                relay::publishPending);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
        if (sender != null) {
            sender.close();
        }
    }
}
