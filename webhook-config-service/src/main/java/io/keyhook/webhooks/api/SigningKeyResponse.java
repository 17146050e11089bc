package io.keyhook.webhooks.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.keyhook.common.contract.WebhookState;

/**
 * One signing key or secret of a webhook's own, as the API shows it: {@code kind} {@code ed25519} (signs {@code v1a})
 * or {@code hmac} (signs {@code v1}); {@code status} {@code active} (signs every delivery) or {@code retired} (never
 * signs again); {@code publicKey} the Ed25519 public key as {@code whpk_<base64 of the raw 32 bytes>} (absent for a
 * secret); {@code secret} the {@code whsec_} value, only in the answer of the request that made it (never again);
 * {@code ageFlaggedAt} (signing-keys listing only; absent: never) when it was found older than its Environment's
 * {@code secretMaxAgeDays}: it expires {@code secretExpiryGraceDays} later if the webhook has a younger active key the
 * receiver verifies (docs/rotating-credentials.md "A maximum secret age").
 */
public record SigningKeyResponse(String id, String kind, String status,
        @JsonInclude(JsonInclude.Include.NON_NULL) String publicKey, Instant createdAt, Instant retiredAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant ageFlaggedAt) {

    public static SigningKeyResponse of(WebhookState.SigningKey k, String secret) {
        return of(k, secret, null);
    }

    public static SigningKeyResponse of(WebhookState.SigningKey k, String secret, Instant ageFlaggedAt) {
        return new SigningKeyResponse(k.id(), k.kind(), k.status(), k.publicKey(), k.createdAt(), k.retiredAt(), secret,
                ageFlaggedAt);
    }

    SigningKeyResponse withSecret(String value) {
        return new SigningKeyResponse(id, kind, status, publicKey, createdAt, retiredAt, value, ageFlaggedAt);
    }
}
