package io.keyhook.common.kafka;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The suite's one Kafka configuration group. Besides these keys, {@link KafkaClients} passes through to every client
 * any {@code keyhook.kafka.security.*}, {@code sasl.*} and {@code ssl.*} key, {@code keyhook.kafka.properties.<key>}
 * for any other Kafka key, {@code keyhook.kafka.consumer|producer|admin.<key>} for one kind of client and
 * {@code keyhook.kafka.client.<name>.<key>} for one client (see docs/operations.md, "Connecting to a secured Kafka").
 */
@ConfigMapping(prefix = "keyhook.kafka")
public interface KafkaSettings {

    /** Kafka bootstrap servers. */
    @WithDefault("${KEYHOOK_KAFKA_BOOTSTRAP:localhost:9092}")
    String bootstrapServers();

    /** Compacted: every client and its secrets (credentials-service writes; key = client id). */
    @WithDefault("keyhook.credentials")
    String credentialsTopic();

    /** Compacted: every Environment and its Configuration (credentials-service writes; key = Environment id). */
    @WithDefault("keyhook.environments")
    String environmentsTopic();

    /** Compacted: every webhook's full state, a tombstone on delete (webhook-config-service writes). */
    @WithDefault("keyhook.webhooks")
    String webhooksTopic();

    /** Revoked secrets, tokens and signing keys (token-service writes; key = secret id, jti or kid). */
    @WithDefault("keyhook.token-revocations")
    String revocationsTopic();

    /** Where internal data services publish events (key = Environment id); the dispatcher reads it. */
    @WithDefault("keyhook.data-changes")
    String dataChangesTopic();

    /**
     * Operational events about Environments' integrations (issue 31: delivery exhausted, webhook failing or disabled,
     * ...; key = Environment id). Every service may write; the dispatcher delivers them to operational webhooks.
     */
    @WithDefault("keyhook.operational-events")
    String operationalEventsTopic();

    /** Where the dispatcher puts records it cannot use, with the reason in headers. */
    @WithDefault("keyhook.data-changes.dlq")
    String deadLetterTopic();

    /**
     * Whether services create the topics they own when missing (with {@code partitions} and
     * {@code replication-factor}). Off where the platform manages topics (Strimzi {@code KafkaTopic} resources) and the
     * services' Kafka users may not create any: they then wait for the topics to exist.
     */
    @WithDefault("true")
    boolean createTopics();

    /** Partitions of a topic when a service creates it. */
    @WithDefault("3")
    int partitions();

    /** Replication factor of a topic when a service creates it. */
    @WithDefault("1")
    short replicationFactor();

    /** How long one send or admin call may wait for the broker before it counts as failed and is retried later. */
    @WithDefault("10s")
    Duration sendTimeout();

    /**
     * How often an outbox relay looks for committed changes to publish, besides at each commit it hears of
     * ({@code LISTEN}/{@code NOTIFY}): the fallback when notifications are lost.
     */
    @WithDefault("200ms")
    Duration outboxInterval();

    /** Outbox rows published per round. */
    @WithDefault("500")
    int outboxBatchSize();
}
