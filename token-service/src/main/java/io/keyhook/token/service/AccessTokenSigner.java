package io.keyhook.token.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.security.TokenSigningAlgorithm;
import io.keyhook.token.config.TokenConfig;

/**
 * Serialises and signs access tokens: {@code typ: at+jwt}, the key's algorithm, {@code kid} of the current key. Claims
 * per RFC 9068 plus {@code env} (the Environment) and {@code secret_id} (the secret the token was issued under, so
 * invalidating it revokes the token).
 */
@ApplicationScoped
public class AccessTokenSigner {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    SigningKeys keys;

    @Inject
    TokenConfig config;

    /** Signs with the configured algorithm ({@code keyhook.token.signing.algorithm}). */
    public String sign(AccessToken t) {
        return sign(t, keys.current());
    }

    /** Signs with the current key of {@code algorithm} (one must sign: {@link SigningKeys#ready}). */
    public String sign(AccessToken t, TokenSigningAlgorithm algorithm) {
        return sign(t, keys.current(algorithm));
    }

    private String sign(AccessToken t, SigningKey key) {
        StringBuilder p = new StringBuilder(384);
        p.append("{\"iss\":");
        Json.quote(p, config.issuer());
        p.append(",\"sub\":");
        Json.quote(p, t.clientId());
        p.append(",\"client_id\":");
        Json.quote(p, t.clientId());
        p.append(",\"aud\":");
        Json.quote(p, t.audience());
        long iat = t.issuedAt().getEpochSecond();
        p.append(",\"iat\":").append(iat).append(",\"nbf\":").append(iat).append(",\"exp\":")
                .append(t.expiresAt().getEpochSecond());
        p.append(",\"jti\":");
        Json.quote(p, t.jti());
        if (t.scope() != null) {
            p.append(",\"scope\":");
            Json.quote(p, t.scope());
        }
        if (t.environment() != null) {
            p.append(",\"env\":");
            Json.quote(p, t.environment());
        }
        if (t.secretId() != null) {
            p.append(",\"secret_id\":");
            Json.quote(p, t.secretId());
        }
        if (t.groups() != null) {
            p.append(",\"groups\":");
            Json.array(p, t.groups());
        }
        if (t.environments() != null) {
            p.append(",\"environments\":");
            Json.array(p, t.environments());
        }
        p.append('}');
        return key.sign(B64URL.encodeToString(p.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
