package io.keyhook.common.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How every service checks the admin tokens it is shown against what has been revoked since they were issued (see
 * {@code AdminTokenGuard}). The topics are {@code keyhook.kafka.credentials-topic} and
 * {@code keyhook.kafka.revocations-topic}.
 */
@ConfigMapping(prefix = "keyhook.admin-tokens")
public interface AdminTokensConfig {

    /** Check Keyhook-issued admin tokens against the local views. Off only for a service without Kafka. */
    @WithDefault("true")
    boolean check();

    /**
     * How long a token of an admin client the view does not know yet is accepted after it was issued: the time the view
     * may lag a client created a moment ago. Past it, an unknown client's token is refused.
     */
    @WithDefault("10s")
    Duration unknownClientGrace();

    /**
     * How long a request with a Keyhook-issued admin token waits, on a replica that has not yet read both topics since
     * it started, before it is answered 503 {@code revocations_not_loaded} (with {@code Retry-After}). Such a replica
     * cannot tell a revoked token from a valid one, so it never judges one before then.
     */
    @WithDefault("5s")
    Duration startWait();
}
