package io.keyhook.webhooks.api;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.id.SecurityMethods;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.keyhook.webhooks.service.OwnSigning;

/**
 * {@code GET .../webhooks/{id}/signing-keys}: the webhook's own keys and secrets ({@code keys}, active and retired,
 * never a secret's value) and its active Ed25519 public keys as a JWKS ({@code jwks}, RFC 8037 {@code OKP} /
 * {@code Ed25519}, {@code kid} = the key's id), what a receiver verifies {@code v1a} signatures with. Both are empty
 * for a webhook that signs with client secrets.
 */
public record SigningKeysResponse(String webhookId, String signatureScheme, List<SigningKeyResponse> keys, Jwks jwks) {

    /** A JSON Web Key Set (RFC 7517). */
    public record Jwks(List<Jwk> keys) {
    }

    /** An Ed25519 public key (RFC 8037): {@code x} is the raw 32-byte key, base64url without padding. */
    public record Jwk(String kty, String crv, String x, String kid, String alg, String use) {
    }

    /** The scheme deliveries are signed with: v1 unless set, none for the token methods. */
    private static String schemeOf(WebhookRow w) {
        if (w.signatureScheme() != null) {
            return w.signatureScheme();
        }
        return SecurityMethods.STANDARD_WEBHOOKS.equals(w.method()) ? WebhookState.Security.V1 : null;
    }

    public static SigningKeysResponse of(WebhookRow w) {
        return of(w, Map.of());
    }

    /** With when each key was flagged as older than the Environment's maximum age ({@code ageFlaggedAt}). */
    public static SigningKeysResponse of(WebhookRow w, Map<String, Instant> ageFlaggedAt) {
        List<WebhookState.SigningKey> keys = w.ownSigning() ? w.signingKeys() : List.of();
        List<Jwk> jwks = keys.stream()
                .filter(k -> WebhookState.SigningKey.ED25519.equals(k.kind())
                        && WebhookState.SigningKey.ACTIVE.equals(k.status()))
                .map(k -> new Jwk("OKP", "Ed25519",
                        Base64.getUrlEncoder().withoutPadding().encodeToString(OwnSigning.rawPublicKey(k.publicKey())),
                        k.id(), "EdDSA", "sig"))
                .toList();
        return new SigningKeysResponse(w.id(), schemeOf(w),
                keys.stream().map(k -> SigningKeyResponse.of(k, null, ageFlaggedAt.get(k.id()))).toList(),
                new Jwks(jwks));
    }
}
