package io.keyhook.token.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.NewTopic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code tokens.outbox} to {@code keyhook.token-revocations}, through the suite's one {@link OutboxRelay}: a revocation
 * and its record commit together, records go out in commit order (per secret: key = secret id), and only what the
 * broker acknowledged is deleted. Several replicas may run it; one publishes at a time.
 */
@ApplicationScoped
public class RevocationOutbox {

    // arbitrary but fixed: "keyhook-tokens-outbox"
    static final long LOCK_ID = 0x6b68_746f_6b6f_7574L;

    @Inject
    KafkaSettings config;

    @Inject
    KafkaClients kafka;

    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    private OutboxRelay.Running running;

    void start(@Observes StartupEvent event) {
        // delete-policy, kept a day: a revocation only matters while the tokens it names can still be alive
        NewTopic topic = new NewTopic(config.revocationsTopic(), config.partitions(), config.replicationFactor())
                .configs(Map.of("retention.ms", String.valueOf(Duration.ofDays(1).toMillis())));
        running = OutboxRelay.start(pool, kafka, config, "token-service-revocations", List.of(topic), "tokens",
                LOCK_ID);
        registry.gauge("keyhook.outbox.pending", running.relay().pending());
    }

    void stop(@Observes ShutdownEvent event) {
        if (running != null) {
            running.close();
        }
    }

    public String topic() {
        return config.revocationsTopic();
    }

    /** The record's JSON, as the outbox row's payload. */
    public String payload(RevocationRecord r) {
        try {
            return json.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a revocation record", e);
        }
    }
}
