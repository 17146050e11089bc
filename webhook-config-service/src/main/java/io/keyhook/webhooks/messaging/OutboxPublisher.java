package io.keyhook.webhooks.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.keyhook.common.messaging.OrderedSender;
import io.keyhook.common.messaging.OutboxRelay;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/** Publishes {@code webhooks.outbox} to the compacted {@code keyhook.webhooks} topic through {@link OutboxRelay}. */
@ApplicationScoped
public class OutboxPublisher {

    // arbitrary but fixed: "keyhook-webhooks-outbox"
    private static final long LOCK_ID = 0x6b68_7768_6f75_7462L;

    @Inject
    Pool pool;

    @Inject
    WebhooksConfig config;

    @Inject
    MeterRegistry registry;

    private OutboxRelay.Running running;

    void start(@Observes StartupEvent event) {
        var k = config.kafka();
        running = OutboxRelay.start(pool, k.bootstrapServers(), k.sendTimeout(), "webhook-config-service-outbox",
                List.of(OrderedSender.compacted(k.webhooksTopic(), k.partitions(), k.replicationFactor())), "webhooks",
                LOCK_ID, k.outboxBatchSize(), k.outboxInterval());
        registry.gauge("keyhook.outbox.pending", running.relay().pending());
    }

    void stop(@Observes ShutdownEvent event) {
        if (running != null) {
            running.close();
        }
    }
}
