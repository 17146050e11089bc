package io.keyhook.credentials.messaging;

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
    KafkaSettings config;

    @Inject
    KafkaClients kafka;

    @Inject
    MeterRegistry registry;

    private OutboxRelay.Running running;

    void start(@Observes StartupEvent event) {
        running = OutboxRelay.start(pool, kafka, config, "credentials-service-outbox",
                List.of(OrderedSender.compacted(config.credentialsTopic(), config),
                        OrderedSender.compacted(config.environmentsTopic(), config)),
                "credentials", LOCK_ID);
        registry.gauge("keyhook.outbox.pending", running.relay().pending());
    }

    void stop(@Observes ShutdownEvent event) {
        if (running != null) {
            running.close();
        }
    }
}
