package io.keyhook.credentials.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

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

    private OutboxRelay.Running running;

    void start(@Observes StartupEvent event) {
        running = OutboxRelay.start(pool, config.bootstrapServers(), config.sendTimeout(), "credentials-service-outbox",
                List.of(OrderedSender.compacted(config.credentialsTopic(), config.partitions(),
                        config.replicationFactor()),
                        OrderedSender.compacted(config.environmentsTopic(), config.partitions(),
                                config.replicationFactor())),
                "credentials", LOCK_ID, config.outboxBatchSize(), config.outboxInterval());
        registry.gauge("keyhook.outbox.pending", running.relay().pending());
    }

    void stop(@Observes ShutdownEvent event) {
        if (running != null) {
            running.close();
        }
    }
}
