package io.keyhook.credentials.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where and how the outbox publishes. */
@ConfigMapping(prefix = "keyhook.kafka")
public interface KafkaConfig {

    /** Kafka bootstrap servers. */
    @WithDefault("localhost:9092")
    String bootstrapServers();

    /** Compacted topic with the state of every client and its secrets (key = client id). */
    @WithDefault("keyhook.credentials")
    String credentialsTopic();

    /** Compacted topic with every Environment and its Configuration (key = Environment id). */
    @WithDefault("keyhook.environments")
    String environmentsTopic();

    /** Partitions of the topics when this service creates them. */
    @WithDefault("3")
    int partitions();

    /** Replication factor of the topics when this service creates them. */
    @WithDefault("1")
    short replicationFactor();

    /** How often the outbox publisher looks for committed changes to publish. */
    @WithDefault("200ms")
    Duration outboxInterval();

    /** Outbox rows published per round. */
    @WithDefault("500")
    int outboxBatchSize();

    /** How long one send may wait for the broker before the round gives up and retries later. */
    @WithDefault("10s")
    Duration sendTimeout();
}
