package io.keyhook.token.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.keyhook.common.security.TokenSigningAlgorithm;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything token-service can be told; every key has a documented default (token-service/README.md). */
@ConfigMapping(prefix = "keyhook.token")
public interface TokenConfig {

    /** The {@code iss} of every token and the base of the metadata document. */
    @WithDefault("http://localhost:8082")
    String issuer();

    /**
     * The token endpoint URL as clients see it: the {@code aud} an RFC 7523 assertion must carry. Defaults to the
     * issuer + {@code /oauth2/token}.
     */
    Optional<URI> tokenEndpoint();

    /** Lifetime of access tokens issued to API clients that have no {@code tokenLifetimeSeconds} of their own. */
    @WithDefault("900s")
    Duration accessTokenLifetime();

    /**
     * Longest lifetime of an API client's access token: a client's {@code tokenLifetimeSeconds} (credentials-service
     * accepts 60 to 86400) and {@link #accessTokenLifetime()} are cut to it.
     */
    @WithDefault("3600s")
    Duration maxLifetime();

    /** {@code aud} of access tokens issued to API clients: the platform's data APIs. */
    @WithDefault("keyhook-api")
    String apiAudience();

    /**
     * Scopes an API client without scopes of its own may ask for; a request without {@code scope} gets all of them. A
     * scope of the grammar ({@code io.keyhook.core.scope.Scope}) also allows what it implies: {@code read} allows
     * {@code system/<dataType>.rs} and narrower, {@code write} {@code system/<dataType>.cud} and narrower.
     */
    @WithDefault("read,write")
    List<String> apiScopes();

    /** {@code aud} of tokens issued to admin clients: the Keyhook admin APIs. */
    @WithDefault("keyhook-admin")
    String adminAudience();

    /** Lifetime of tokens issued to admin clients. */
    @WithDefault("900s")
    Duration adminTokenLifetime();

    /** Clock skew tolerated when checking assertions and tokens. */
    @WithDefault("30s")
    Duration clockSkew();

    /**
     * How long past {@code exp} a Keyhook token still introspects active: the admin APIs' allowance
     * ({@code mp.jwt.verify.clock.skew}, {@code KEYHOOK_TOKEN_CLOCK_SKEW_SECONDS}), so both say the same about one
     * token.
     */
    @WithDefault("${mp.jwt.verify.clock.skew:5}")
    int expiryAllowanceSeconds();

    /**
     * Every failed authentication is answered no sooner than this after the request arrived, so "unknown client" and
     * "wrong secret" cannot be told apart by timing even when credentials-service is slow to answer for one of them.
     */
    @WithDefault("200ms")
    Duration failureFloor();

    Signing signing();

    Assertions assertions();

    Limits limits();

    Credentials credentials();

    Audit audit();

    PrivateKeyJwt privateKeyJwt();

    /**
     * Clients that authenticate with a JWT signed by their own key (RFC 7523 section 2.2, SMART Backend Services). The
     * assertion's {@code exp} may be at most {@code keyhook.token.assertions.max-lifetime} (300 s) ahead.
     */
    interface PrivateKeyJwt {

        /** Lifetime of the access tokens of a {@code private_key_jwt} client (SMART: should not exceed 5 minutes). */
        @WithDefault("300s")
        Duration tokenLifetime();

        /** Fetching a client's registered {@code jwksUri}. */
        JwksUri jwksUri();
    }

    /**
     * The bounds of one {@code jwksUri} fetch and of its cache. Where the URI may point is
     * {@code keyhook.webhooks.destinations.*}, the setting webhook URLs obey (checked again at connect time).
     */
    interface JwksUri {

        /** Longest answer read; a longer one is refused and the connection closed. */
        @WithDefault("65536")
        int maxBytes();

        /** Whole-fetch deadline: connecting, sending, the answer's headers and body. */
        @WithDefault("3s")
        Duration timeout();

        /** How long keys are kept when the answer has no {@code Cache-Control: max-age}. */
        @WithDefault("5m")
        Duration defaultCacheTime();

        /** Longest time keys are kept, whatever {@code max-age} says. */
        @WithDefault("1h")
        Duration maxCacheTime();

        /**
         * Least time between two fetches of one URI made because an assertion named a {@code kid} the keys lacked, so
         * assertions with made-up kids cannot make us hammer the URI (Keycloak's default is the same 10 s). Also the
         * least time before a URI whose fetch failed is tried again.
         */
        @WithDefault("10s")
        Duration minRefetchInterval();

        /** Most URIs whose keys are cached at once (least recently fetched dropped first). */
        @WithDefault("10000")
        int maxCachedUris();
    }

    /** The token audit. */
    interface Audit {

        /**
         * Most source addresses per minute whose refusals naming no known client are counted on a row of their own; the
         * refusals of further sources that minute count on one {@code (other sources)} row per reason. Bounds the
         * tally's memory and rows when a flood comes from many addresses.
         */
        @WithDefault("1000")
        int maxRefusalTallies();
    }

    /** The signing keys. */
    interface Signing {

        /**
         * The JWS algorithm of access tokens: {@code EdDSA} (Ed25519, the fastest), {@code ES256} (P-256) or
         * {@code RS256} (RSA). Admin and service tokens, and API tokens of an Environment that names no algorithm of
         * its own ({@code tokenSigningAlg}), are signed with it. Changing it adds a key of the new algorithm that signs
         * at once; keys of the old one keep rotating and stay in the JWKS.
         */
        @WithDefault("EdDSA")
        TokenSigningAlgorithm algorithm();

        /** Size in bits of new RSA keys ({@code RS256}); at least 2048. */
        @WithDefault("2048")
        @Min(2048)
        @Max(8192)
        int rsaKeySize();

        /** How long one key signs before a new one takes over. */
        @WithDefault("30d")
        Duration rotationInterval();

        /**
         * How long a new key is in the JWKS before it signs, so resource servers that cache the JWKS know it before
         * they see it. The very first key signs at once.
         */
        @WithDefault("1h")
        Duration publishAhead();

        /**
         * How long after {@code POST /api/v1/signing-keys/rotate} the new key starts signing, on every replica at the
         * same moment: each replica hears of the key (a record on {@code keyhook.token-revocations}) and publishes it
         * in its JWKS first, so no token is signed with a key another replica's JWKS lacks.
         */
        @WithDefault("2s")
        Duration switchDelay();

        /** How often replicas reload the keys and check whether one is due. */
        @WithDefault("60s")
        Duration checkInterval();
    }

    /** RFC 7523 assertions. */
    interface Assertions {

        /** Longest {@code exp - now} accepted: assertions must be short-lived. */
        @WithDefault("300s")
        Duration maxLifetime();
    }

    /** Abuse protection (all counters are per replica). */
    interface Limits {

        /**
         * Failed authentications of one client id from one source address: past the limit that pair gets 429 until the
         * block ends. A correct secret is checked first and never refused by it.
         */
        Window failedAuthentication();

        /**
         * Failed authentications from one source address, whatever the client id: past the limit the source gets 429
         * for anything the local view cannot vouch for (no credentials-service lookups). Correct secrets still pass.
         */
        SourceWindow failedAuthenticationPerSource();

        /**
         * Failed authentications of one client id from every source: past the limit a metric and an audit entry say the
         * client is being guessed at. Never a block, so nobody can lock an app out.
         */
        Window clientFailureAlert();

        /** Tokens issued per client. */
        IssuanceWindow issuance();

        /** Most tracked keys per limiter: bounds memory when an attacker makes up client ids. */
        @WithDefault("100000")
        int maxTrackedKeys();
    }

    /** A fixed-window counter that blocks for a while when it overflows. */
    interface Window {

        /** Events allowed in one window. */
        @WithDefault("20")
        int max();

        /** Length of the window. */
        @WithDefault("5m")
        Duration window();

        /** How long a key stays blocked once over the limit. */
        @WithDefault("5m")
        Duration block();
    }

    /** The per-source limit: wider than per pair, since one address may carry many apps (an ingress, the console). */
    interface SourceWindow {

        /** Failures allowed in one window. */
        @WithDefault("200")
        int max();

        /** Length of the window. */
        @WithDefault("5m")
        Duration window();

        /** How long a source stays blocked once over the limit. */
        @WithDefault("5m")
        Duration block();
    }

    /** Issuance limit per client: the original platform blocks for 5 minutes after 100 tokens in 5 minutes. */
    interface IssuanceWindow {

        /** Whether issuance is limited at all. */
        @WithDefault("true")
        boolean enabled();

        /** Tokens allowed in one window. */
        @WithDefault("100")
        int max();

        /** Length of the window. */
        @WithDefault("5m")
        Duration window();

        /** How long a client stays blocked once over the limit. */
        @WithDefault("5m")
        Duration block();
    }

    /** credentials-service, asked when the local view does not know a client or a secret yet. */
    interface Credentials {

        /** Base URL of credentials-service. */
        @WithDefault("http://localhost:8081")
        String url();

        /** How often each secret's last use is reported to credentials-service. */
        @WithDefault("30s")
        Duration usageReportInterval();
    }
}
