package io.keyhook.console.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the four services are, and how the console's session cookie is set. */
@ConfigMapping(prefix = "keyhook.console")
public interface ConsoleConfig {

    /** token-service's token endpoint, where admins sign in with their admin client's credentials. */
    @WithDefault("http://localhost:8082/oauth2/token")
    String tokenUrl();

    /** credentials-service's base URL. */
    @WithDefault("http://localhost:8081")
    String credentialsUrl();

    /** webhook-config-service's base URL. */
    @WithDefault("http://localhost:8083")
    String webhooksUrl();

    /** webhook-dispatcher's base URL. */
    @WithDefault("http://localhost:8084")
    String dispatcherUrl();

    /**
     * The session cookie's Secure flag: {@code auto} sets it unless the console is reached on localhost (browsers
     * accept Secure cookies over plain http only there, and local runs have no TLS), {@code always}, or {@code never}.
     */
    @WithDefault("auto")
    String secureCookies();

    /** How long one call to a service may take. */
    @WithDefault("10s")
    Duration apiTimeout();

    /** Sessions never outlive their token; this caps how long one lasts without a request. */
    @WithDefault("30m")
    Duration idleTimeout();

    /** Optional sign-in with an external OpenID Connect provider (authorization code flow with PKCE). */
    Oidc oidc();

    /**
     * Proxies (addresses or CIDR ranges, comma-separated) whose forwarding header names the visitor: the ingress. None
     * by default.
     */
    Optional<String> trustedProxies();

    /**
     * The forwarding header the ingress writes: {@code x-forwarded-for} (default) or {@code forwarded} (RFC 7239); the
     * other is ignored. The same rule as the services' {@code keyhook.http.forwarded-header}.
     */
    @WithDefault("x-forwarded-for")
    String forwardedHeader();

    /** Sign-in attempts (form posts and OpenID Connect starts) allowed per visitor address per minute. */
    @WithDefault("30")
    int signInAttemptsPerMinute();

    interface Oidc {

        /** Shows "Sign in with {@link #providerName()}" next to the admin-client form. */
        @WithDefault("false")
        boolean enabled();

        /** The name on the button. */
        @WithDefault("your organisation's sign-in")
        String providerName();

        /** The provider's issuer: the ID token's {@code iss} must equal it. */
        Optional<String> issuer();

        Optional<String> authorizationEndpoint();

        Optional<String> tokenEndpoint();

        /**
         * The console's client at the provider (its secret: {@code KEYHOOK_CONSOLE_OIDC_CLIENT_SECRET}, from Vault).
         */
        Optional<String> clientId();

        Optional<String> clientSecret();

        @WithDefault("openid")
        String scopes();

        /** Where the provider sends the browser back; default: this console's {@code /sign-in/oidc/callback}. */
        Optional<String> redirectUri();

        /**
         * The provider's JWKS, which ID tokens must be signed with; default: the {@code jwks_uri} of the issuer's
         * {@code /.well-known/openid-configuration}.
         */
        Optional<String> jwksUri();
    }
}
