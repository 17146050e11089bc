package io.keyhook.webhooks.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.OrderedSender;
import io.keyhook.common.kafka.OutboxRelay;
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
    KafkaSettings config;

    @Inject
    KafkaClients kafka;

    @Inject
    MeterRegistry registry;

    private OutboxRelay.Running running;

    void start(@Observes StartupEvent event) {
        running = OutboxRelay.start(pool, kafka, config, "webhook-config-service-outbox",
                List.of(OrderedSender.compacted(config.webhooksTopic(), config)), "webhooks", LOCK_ID);
        registry.gauge("keyhook.outbox.pending", running.relay().pending());
    }

    void stop(@Observes ShutdownEvent event) {
        if (running != null) {
            running.close();
        }
    }
}
