package io.keyhook.token.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.security.TokenSigningAlgorithm;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.view.EnvironmentView;
import io.keyhook.token.view.KnownClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Issues an access token to an authenticated client. API clients get the data-API audience, their Environment in
 * {@code env} and scopes from {@code keyhook.token.api-scopes}; admin clients get the admin audience and their
 * {@code groups}/{@code environments}, where a requested scope narrows the groups.
 */
@ApplicationScoped
public class TokenIssuer {

    // RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private final TokenConfig config;
    private final AccessTokenSigner signer;
    private final AbuseLimits limits;
    private final UsageReporter usage;
    private final TokenAudit audit;
    private final EnvironmentView environments;
    private final SigningKeys keys;
    private final Counter issuedApi;
    private final Counter issuedAdmin;

    TokenIssuer(TokenConfig config, AccessTokenSigner signer, AbuseLimits limits, UsageReporter usage, TokenAudit audit,
            MeterRegistry registry, EnvironmentView environments, SigningKeys keys) {
        this.environments = environments;
        this.keys = keys;
        this.config = config;
        this.signer = signer;
        this.limits = limits;
        this.usage = usage;
        this.audit = audit;
        issuedApi = registry.counter("keyhook.tokens.issued", "kind", "api");
        issuedAdmin = registry.counter("keyhook.tokens.issued", "kind", "admin");
    }

    public IssuedToken issue(Authenticated who, String requestedScope, String source) {
        KnownClient client = who.client();
        List<String> allowed = client.admin() ? client.groups() : config.apiScopes();
        List<String> granted = grantedScopes(requestedScope, allowed);
        try {
            limits.acquireIssuance(client.clientId());
        } catch (OAuthException e) {
            audit.record(client.environment(), client.clientId(), source, "token.refused", client.clientId(), "refused",
                    "issuance_rate_limited");
            throw e.audited();
        }
        Instant now = Instant.now();
        Duration lifetime = client.admin() ? config.adminTokenLifetime() : config.accessTokenLifetime();
        Instant expires = now.plus(lifetime);
        String scope = String.join(" ", granted);
        AccessToken token = client.admin()
                ? new AccessToken(SecretGenerator.newId("at"), client.clientId(), config.adminAudience(), scope, null,
                        who.secret().id(), granted, client.environments(), now, expires)
                : new AccessToken(SecretGenerator.newId("at"), client.clientId(), config.apiAudience(), scope,
                        client.environment(), who.secret().id(), null, null, now, expires);
        String signed = signer.sign(token, algorithmFor(client));
        usage.used(who.secret().id(), now);
        (client.admin() ? issuedAdmin : issuedApi).increment();
        return new IssuedToken(signed, lifetime.toSeconds(), expires, scope);
    }

    /**
     * The algorithm of the client's tokens: its Environment's choice for an API client, else the configured one (admin
     * tokens always: every admin API verifies them).
     */
    public TokenSigningAlgorithm algorithmFor(KnownClient client) {
        TokenSigningAlgorithm configured = config.signing().algorithm();
        return client.admin() ? configured : environments.tokenSigningAlgorithm(client.environment(), configured);
    }

    /** Emits once a key of the client's algorithm signs (at once, but for an algorithm no key has yet). */
    public Uni<Void> keyReady(Authenticated who) {
        return keys.ready(algorithmFor(who.client()));
    }

    /** The requested scopes if all are allowed, all allowed ones when none is requested; else invalid_scope. */
    static List<String> grantedScopes(String requested, List<String> allowed) {
        if (requested == null || requested.isBlank()) {
            return List.copyOf(allowed);
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String s : requested.trim().split(" +")) {
            if (!SCOPE_TOKEN.matcher(s).matches()) {
                throw OAuthException.badRequest(OAuthException.INVALID_SCOPE, "scope is malformed");
            }
            asked.add(s);
        }
        List<String> unknown = new ArrayList<>();
        for (String s : asked) {
            if (!allowed.contains(s)) {
                unknown.add(s);
            }
        }
        if (!unknown.isEmpty()) {
            throw OAuthException.badRequest(OAuthException.INVALID_SCOPE,
                    "scope not allowed for this client: " + String.join(" ", unknown));
        }
        return List.copyOf(asked);
    }
}
