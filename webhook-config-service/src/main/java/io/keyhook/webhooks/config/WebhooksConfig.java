package io.keyhook.webhooks.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything webhook-config-service can be told; defaults documented in webhook-config-service/README.md. Where
 * webhooks may point ({@code keyhook.webhooks.destinations.*}) is common's {@code DestinationsConfig}, shared with the
 * dispatcher.
 */
@ConfigMapping(prefix = "keyhook.webhooks")
public interface WebhooksConfig {

    /** Webhooks one Environment may have (the documented behaviour is one). */
    @WithDefault("1")
    int maxPerEnvironment();

    /** Notification types one webhook may opt into. */
    @WithDefault("200")
    int maxNotificationTypes();

    Credentials credentials();

    Dispatcher dispatcher();

    /**
     * How often guided rotations are moved on: due ones finished, refused ones retried, interrupted starts abandoned
     * (read by the rotation job's schedule).
     */
    @WithDefault("15s")
    Duration rotationCheckInterval();

    /**
     * Verified rotation: how long the old secret must have gone unused by the app ({@code lastUsedAt}) before a
     * rotation may finish. Longer than token-service's usage report interval (30 s by default), or a use not yet
     * reported is missed.
     */
    @WithDefault("10m")
    Duration rotationQuietPeriod();

    /**
     * How often a webhook's own signing keys and secrets are checked against their Environment's maximum age
     * ({@code secretMaxAgeDays}): flagged, and after the grace expired when a younger key is verified (read by the
     * SigningKeyAgeJob's schedule; every replica runs it).
     */
    @WithDefault("5m")
    Duration signingKeyAgeCheckInterval();

    /** The bounds of a webhook's own delivery tuning (issue 31). */
    Tuning tuning();

    /**
     * What an admin may set per webhook: each field null means the dispatcher's default; a value outside these bounds
     * is refused (422 {@code tuning_out_of_bounds}, a header by its {@code header_*} code).
     */
    interface Tuning {

        /** Least {@code timeoutMs}, an attempt's total deadline. */
        @WithDefault("1000")
        int minTimeoutMs();

        /** Most {@code timeoutMs}. */
        @WithDefault("30000")
        int maxTimeoutMs();

        /** Most {@code maxInFlight} (attempts in flight at once; the least is 1). */
        @WithDefault("64")
        int maxInFlight();

        /** Most {@code rateLimitPerSecond} (attempts started per second; the least is 1). */
        @WithDefault("1000")
        int maxRatePerSecond();

        /** Most custom {@code headers} on one webhook. */
        @WithDefault("20")
        int maxHeaders();

        /** Most bytes of custom headers in all (each counted as name + ": " + value + CRLF). */
        @WithDefault("8192")
        int maxHeaderBytes();
    }

    /** credentials-service's lease API, called with a service token from token-service. */
    interface Credentials {

        /** Base URL of credentials-service. */
        @WithDefault("http://localhost:8081")
        String url();
    }

    /** webhook-dispatcher, asked for the breakers shown in webhook answers (with this service's token). */
    interface Dispatcher {

        /** Base URL of webhook-dispatcher. */
        @WithDefault("http://localhost:8084")
        String url();
    }
}
