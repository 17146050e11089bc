package io.keyhook.common.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How every service checks the admin tokens it is shown against what has been revoked since they were issued (see
 * {@code AdminTokenGuard}).
 */
@ConfigMapping(prefix = "keyhook.admin-tokens")
public interface AdminTokensConfig {

    /** Check Keyhook-issued admin tokens against the local views. Off only for a service without Kafka. */
    @WithDefault("true")
    boolean check();

    /** Kafka bootstrap servers of the two topics (the suite's Kafka). */
    @WithDefault("${keyhook.kafka.bootstrap-servers:${KEYHOOK_KAFKA_BOOTSTRAP:localhost:9092}}")
    String bootstrapServers();

    /** The compacted topic with every client's state, admin clients included (credentials-service). */
    @WithDefault("keyhook.credentials")
    String credentialsTopic();

    /** Revoked secrets and tokens (token-service). */
    @WithDefault("keyhook.token-revocations")
    String revocationsTopic();

    /**
     * How long a token of an admin client the view does not know yet is accepted after it was issued: the time the view
     * may lag a client created a moment ago. Past it, an unknown client's token is refused.
     */
    @WithDefault("10s")
    Duration unknownClientGrace();
}
