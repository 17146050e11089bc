package io.keyhook.token.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.security.TokenSigningAlgorithm;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.scope.AllowedScopes;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.view.EnvironmentView;
import io.keyhook.token.view.KnownClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Issues an access token to an authenticated client. API clients get the data-API audience, their Environment in
 * {@code env}, and the scopes they asked for if their allowed scopes cover them (their own, issue 30, or
 * {@code keyhook.token.api-scopes}; all of them when they ask for none), for their own lifetime capped by
 * {@code keyhook.token.max-lifetime}; admin clients get the admin audience and their
 * {@code groups}/{@code environments}, where a requested scope narrows the groups.
 */
@ApplicationScoped
public class TokenIssuer {

    // RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    // a scope parameter longer than this is refused before it is split: far above any real request (200 scopes)
    static final int MAX_SCOPE_PARAMETER = 8192;

    private final TokenConfig config;
    private final AccessTokenSigner signer;
    private final AbuseLimits limits;
    private final UsageReporter usage;
    private final KeyUsageReporter keyUsage;
    private final TokenAudit audit;
    private final EnvironmentView environments;
    private final SigningKeys keys;
    private final Counter issuedApi;
    private final Counter issuedAdmin;
    private final AllowedScopes defaultApiScopes;
    private final Counter suppressed;

    TokenIssuer(TokenConfig config, AccessTokenSigner signer, AbuseLimits limits, UsageReporter usage,
            KeyUsageReporter keyUsage, TokenAudit audit, MeterRegistry registry, EnvironmentView environments,
            SigningKeys keys) {
        this.environments = environments;
        this.keys = keys;
        this.config = config;
        this.signer = signer;
        this.limits = limits;
        this.usage = usage;
        this.keyUsage = keyUsage;
        this.audit = audit;
        issuedApi = registry.counter("keyhook.tokens.issued", "kind", "api");
        issuedAdmin = registry.counter("keyhook.tokens.issued", "kind", "admin");
        defaultApiScopes = AllowedScopes.of(config.apiScopes());
        // ClientAuthenticator's counter (same name): refusals past their source's limit, counted instead of audited
        suppressed = registry.counter("keyhook.token.audit.suppressed");
    }

    public IssuedToken issue(Authenticated who, String requestedScope, String source) {
        KnownClient client = who.client();
        List<String> granted;
        String scope;
        try {
            if (client.admin()) {
                granted = grantedScopes(requestedScope, client.groups());
                scope = String.join(" ", granted);
            } else {
                AllowedScopes allowed = client.scopes() == null ? defaultApiScopes : client.scopes();
                // the usual request asks for no scope: the prepared answer, nothing parsed or joined
                granted = requestedScope == null || requestedScope.isBlank() ? allowed.all()
                        : grantedScopes(requestedScope, allowed);
                scope = granted == allowed.all() ? allowed.joined() : String.join(" ", granted);
            }
        } catch (OAuthException e) {
            throw refusedScope(e, client, source);
        }
        try {
            limits.acquireIssuance(client.clientId());
        } catch (OAuthException e) {
            audit.record(client.environment(), client.clientId(), source, "token.refused", client.clientId(), "refused",
                    "issuance_rate_limited");
            throw e.audited();
        }
        Instant now = Instant.now();
        Duration lifetime = client.admin() ? config.adminTokenLifetime() : apiLifetime(client);
        Instant expires = now.plus(lifetime);
        AccessToken token = client.admin()
                ? new AccessToken(SecretGenerator.newId("at"), client.clientId(), config.adminAudience(), scope, null,
                        who.secret().id(), granted, client.environments(), now, expires)
                : new AccessToken(SecretGenerator.newId("at"), client.clientId(), config.apiAudience(), scope,
                        client.environment(), who.secret().id(), null, null, now, expires);
        String signed = signer.sign(token, algorithmFor(client));
        if (who.kid() != null) {
            keyUsage.used(client.clientId(), who.kid(), now);
        } else {
            usage.used(who.secret().id(), now);
        }
        (client.admin() ? issuedAdmin : issuedApi).increment();
        return new IssuedToken(signed, lifetime.toSeconds(), expires, scope);
    }

    /**
     * Accounts for an {@code invalid_scope}: like every 400 of the endpoint it counts against its source's failure
     * limit (issue 28), so a flood of them is cut off; until then it is audited, in the client's Environment's trail
     * since the client proved who it is; past the limit it is only counted, and the answer is 429.
     */
    private OAuthException refusedScope(OAuthException e, KnownClient client, String source) {
        long blocked = limits.sourceBlockedFor(source);
        limits.failed(null, source);
        if (blocked > 0 || limits.sourceBlocked(source)) {
            suppressed.increment();
        } else {
            audit.record(client.environment(), client.clientId(), source, "token.refused", client.clientId(), "refused",
                    e.error());
        }
        return blocked > 0 ? OAuthException.tooMany("too many failed requests; try again later", blocked).audited()
                : e.audited();
    }

    /** An API client's own lifetime or the default, cut to the operator's maximum. */
    private Duration apiLifetime(KnownClient client) {
        // a backend-services (private_key_jwt) client's tokens default to 5 minutes, as SMART asks
        Duration fallback = client.privateKeyJwt() ? config.privateKeyJwt().tokenLifetime()
                : config.accessTokenLifetime();
        Duration wanted = client.tokenLifetimeSeconds() == null ? fallback
                : Duration.ofSeconds(client.tokenLifetimeSeconds());
        return wanted.compareTo(config.maxLifetime()) > 0 ? config.maxLifetime() : wanted;
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
        return grantedScopes(requested, allowed::contains, allowed);
    }

    /** As above, for an API client: a requested scope is allowed when {@code allowed} covers it. */
    static List<String> grantedScopes(String requested, AllowedScopes allowed) {
        return grantedScopes(requested, allowed::allows, allowed.all());
    }

    private static List<String> grantedScopes(String requested, Predicate<String> allows, List<String> all) {
        if (requested == null || requested.isBlank()) {
            return List.copyOf(all);
        }
        if (requested.length() > MAX_SCOPE_PARAMETER) {
            throw OAuthException.badRequest(OAuthException.INVALID_SCOPE, "scope is too long");
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
            if (!allows.test(s)) {
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
