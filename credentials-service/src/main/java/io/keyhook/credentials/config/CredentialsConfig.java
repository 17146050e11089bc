package io.keyhook.credentials.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits and the first-start bootstrap of credentials-service. */
@ConfigMapping(prefix = "keyhook.credentials")
public interface CredentialsConfig {

    /** Active secrets one client may hold at once (rotation needs at least 2). */
    @WithDefault("5")
    int maxActiveSecretsPerClient();

    /** API clients one Environment may hold. */
    @WithDefault("200")
    int maxClientsPerEnvironment();

    /** How often the rewrap job moves ciphertexts to the newest key version. */
    @WithDefault("10m")
    Duration rewrapInterval();

    /** How long after start-up the rewrap job first runs. */
    @WithDefault("30s")
    Duration rewrapDelay();

    /**
     * A guided key rotation finishes (without override) only once the old key has gone unused for this long (or was
     * never used), as token-service reports key uses.
     */
    @WithDefault("10m")
    Duration keyRotationQuietPeriod();

    Bootstrap bootstrap();

    /** The operator admin client created on first start, so a new install can be driven at once. */
    interface Bootstrap {

        /** Its client id; no bootstrap client is created when unset. */
        Optional<String> operatorClientId();

        /** Its secret (at least 32 characters); required with the client id. */
        Optional<String> operatorSecret();

        /**
         * The service admin client (group keyhook-service, all Environments) the other Keyhook services log in as to
         * call internal APIs; none is created when unset.
         */
        Optional<String> serviceClientId();

        /** Its secret (at least 32 characters); required with the client id. */
        Optional<String> serviceSecret();
    }
}
