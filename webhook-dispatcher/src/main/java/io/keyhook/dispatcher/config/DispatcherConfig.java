package io.keyhook.dispatcher.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything webhook-dispatcher can be told (grows with issue 5). */
@ConfigMapping(prefix = "keyhook.dispatcher")
public interface DispatcherConfig {

    Kafka kafka();

    /** Topics. */
    interface Kafka {

        @WithDefault("localhost:9092")
        String bootstrapServers();

        /** Compacted: every webhook's configuration (from webhook-config-service). */
        @WithDefault("keyhook.webhooks")
        String webhooksTopic();

        /** Compacted: every client and its secrets' ciphertexts (from credentials-service). */
        @WithDefault("keyhook.credentials")
        String credentialsTopic();

        @WithDefault("3")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        @WithDefault("10s")
        Duration sendTimeout();
    }
}
