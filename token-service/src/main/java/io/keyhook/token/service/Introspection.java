package io.keyhook.token.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.security.Roles;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;
import io.smallrye.mutiny.Uni;

/**
 * RFC 7662. A token is active when it is ours, within its lifetime, not revoked, and the secret it was issued under is
 * still honoured (active secret of an active client). A caller only learns about tokens of its own Environment (admin
 * clients: of the Environments they may touch); anything else is reported inactive.
 */
@ApplicationScoped
public class Introspection {

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    CredentialView view;

    @Inject
    Revocations revocations;

    @Inject
    TokenConfig config;

    public Uni<Map<String, Object>> introspect(KnownClient caller, String token) {
        AccessToken t = verifier.readSigned(token);
        Instant now = Instant.now();
        if (t == null || t.jti() == null || !t.expiresAt().plusSeconds(config.expiryAllowanceSeconds()).isAfter(now)
                || t.issuedAt().isAfter(now.plus(config.clockSkew())) || !visibleTo(caller, t)) {
            return Uni.createFrom().item(INACTIVE);
        }
        KnownClient owner = view.client(t.clientId());
        if (owner == null || !owner.honours(t.secretId())) {
            return Uni.createFrom().item(INACTIVE);
        }
        return revocations.isRevoked(t.jti()).map(revoked -> revoked ? INACTIVE : describe(t));
    }

    private static boolean visibleTo(KnownClient caller, AccessToken t) {
        if (caller.admin()) {
            return caller.environments().contains(Roles.ALL_ENVIRONMENTS)
                    || (t.environment() != null && caller.environments().contains(t.environment()));
        }
        return t.environment() != null && t.environment().equals(caller.environment());
    }

    private Map<String, Object> describe(AccessToken t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        out.put("scope", t.scope());
        out.put("client_id", t.clientId());
        out.put("sub", t.clientId());
        out.put("aud", t.audience());
        out.put("iss", config.issuer());
        out.put("exp", t.expiresAt().getEpochSecond());
        out.put("iat", t.issuedAt().getEpochSecond());
        out.put("nbf", t.issuedAt().getEpochSecond());
        out.put("jti", t.jti());
        out.put("token_type", "Bearer");
        if (t.environment() != null) {
            out.put("env", t.environment());
        }
        if (t.groups() != null) {
            out.put("groups", t.groups());
            out.put("environments", t.environments());
        }
        return out;
    }
}
