package io.keyhook.common.kafka;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * The suite's own topics as their owners create them, declared once: the owner's outbox and every other service's view
 * create a missing topic the same way (where {@code keyhook.kafka.create-topics} allows; in production the platform's
 * KafkaTopic resources make them, with the same settings).
 */
public final class SuiteTopics {

    private SuiteTopics() {
    }

    /** {@code keyhook.credentials}, credentials-service's: compacted, the latest state of each client. */
    public static NewTopic credentials(KafkaSettings settings) {
        return OrderedSender.compacted(settings.credentialsTopic(), settings);
    }

    /** {@code keyhook.environments}, credentials-service's: compacted, the latest state of each Environment. */
    public static NewTopic environments(KafkaSettings settings) {
        return OrderedSender.compacted(settings.environmentsTopic(), settings);
    }

    /** {@code keyhook.webhooks}, webhook-config-service's: compacted, the latest state of each webhook. */
    public static NewTopic webhooks(KafkaSettings settings) {
        return OrderedSender.compacted(settings.webhooksTopic(), settings);
    }

    /**
     * {@code keyhook.token-revocations}, token-service's: delete-policy, kept a day, as a revocation only matters while
     * the tokens it names can still be alive.
     */
    public static NewTopic revocations(KafkaSettings settings) {
        return new NewTopic(settings.revocationsTopic(), settings.partitions(), settings.replicationFactor())
                .configs(Map.of("retention.ms", String.valueOf(Duration.ofDays(1).toMillis())));
    }

    /**
     * {@code keyhook.operational-events} (issue 31), written by every service that notices something about an
     * Environment's integration: delete-policy, kept a week, long enough for a platform's router to catch up after an
     * outage of its own.
     */
    public static NewTopic operationalEvents(KafkaSettings settings) {
        return new NewTopic(settings.operationalEventsTopic(), settings.partitions(), settings.replicationFactor())
                .configs(Map.of("retention.ms", String.valueOf(Duration.ofDays(7).toMillis())));
    }
}
