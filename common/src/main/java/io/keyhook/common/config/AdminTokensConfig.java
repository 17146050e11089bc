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

    /** The admin APIs' verification keys, from the JWKS at {@code mp.jwt.verify.publickey.location}. */
    Keys keys();

    /** How the JWKS is kept current (see {@code AnnouncedSigningKeys}). */
    interface Keys {

        /**
         * A token naming a key this service does not hold makes it fetch the JWKS again at once, unless it did so less
         * than this long ago (so made-up key ids cost at most one fetch per interval).
         */
        @WithDefault("250ms")
        Duration unknownKeyRefetchInterval();

        /**
         * How long this service keeps fetching the JWKS, every {@code announced-key-poll}, for a key token-service
         * announced on {@code keyhook.token-revocations} until the JWKS carries it.
         */
        @WithDefault("10s")
        Duration announcedKeyWait();

        /** How often the JWKS is fetched while an announced key is not in it yet. */
        @WithDefault("100ms")
        Duration announcedKeyPoll();

        /**
         * How long a request with a token of an announced key the JWKS does not carry yet waits for it (another
         * token-service replica may be a moment behind the one that signed), before the token is refused.
         */
        @WithDefault("2s")
        Duration announcedKeyRequestWait();

        /** Connect and read timeout of one JWKS fetch. */
        @WithDefault("2s")
        Duration fetchTimeout();
    }
}
