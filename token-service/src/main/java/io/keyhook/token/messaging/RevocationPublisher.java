package io.keyhook.token.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.NewTopic;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.concurrent.BackgroundLoop;
import io.keyhook.common.messaging.OrderedSender;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.persistence.RevocationRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes queued revocation records to {@code keyhook.token-revocations} in order, marking only what the broker
 * acknowledged. Several replicas may publish the same unpublished row at once; consumers must treat records as
 * idempotent (they are: "revoke X" twice is "revoke X").
 */
@ApplicationScoped
public class RevocationPublisher {

    private static final Logger LOG = Logger.getLogger(RevocationPublisher.class);
    private static final int BATCH = 500;

    @Inject
    TokenConfig config;

    @Inject
    RevocationRepository repository;

    @Inject
    ObjectMapper json;

    private OrderedSender sender;
    private BackgroundLoop loop;

    void start(@Observes StartupEvent event) {
        var k = config.kafka();
        // delete-policy, kept a day: a revocation only matters while the tokens it names can still be alive
        NewTopic topic = new NewTopic(k.revocationsTopic(), k.partitions(), k.replicationFactor())
                .configs(java.util.Map.of("retention.ms", String.valueOf(Duration.ofDays(1).toMillis())));
        sender = new OrderedSender(k.bootstrapServers(), Duration.ofSeconds(10), "token-service-revocations",
                List.of(topic));
        loop = BackgroundLoop.start("keyhook-revocation-publisher", Duration.ofMillis(500), k.outboxInterval(),
                this::publishPending);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
        if (sender != null) {
            sender.close();
        }
    }

    void publishPending() {
        try {
            List<RevocationRepository.Pending> rows;
            do {
                rows = repository.unpublished(BATCH).await().atMost(Duration.ofSeconds(10));
                if (rows.isEmpty()) {
                    return;
                }
                List<OrderedSender.Outgoing> records = new ArrayList<>();
                for (var r : rows) {
                    records.add(new OrderedSender.Outgoing(config.kafka().revocationsTopic(), r.secretId(),
                            json.writeValueAsString(new RevocationRecord(1, r.kind(), r.secretId(), r.clientId(),
                                    r.environment(), r.jti(), r.reason(), r.revokedAt(), r.tokenExpiresAt()))));
                }
                int acked = sender.sendInOrder(records);
                if (acked > 0) {
                    repository.markPublished(
                            rows.subList(0, acked).stream().map(RevocationRepository.Pending::id).toList(),
                            Instant.now()).await().atMost(Duration.ofSeconds(10));
                }
                if (acked < rows.size()) {
                    return;
                }
            } while (rows.size() == BATCH);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.debugf("Revocation publishing round failed: %s", e.toString());
        }
    }
}
