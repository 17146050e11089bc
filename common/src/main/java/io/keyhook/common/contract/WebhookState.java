package io.keyhook.common.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The value of a {@code keyhook.webhooks} record (key = {@link #id}; a tombstone when the webhook is deleted): the
 * webhook's whole state as webhook-config-service publishes it, what the dispatcher routes with. A higher
 * {@code version} is a later state.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookState(int schemaVersion, String id, String environment, String url, List<String> notificationTypes,
        boolean paused, Security security, long version, Instant createdAt, Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String purpose,
        @JsonInclude(JsonInclude.Include.NON_NULL) Tuning tuning) {

    /** A data webhook: gets the data-change events it opted into (the default when {@code purpose} is null). */
    public static final String DATA = "data";
    /**
     * The Environment's operational webhook (issue 31): gets every operational event of its Environment
     * ({@link OperationalEvent}), no data-change event; never auto-disabled by its own failures.
     */
    public static final String OPERATIONAL = "operational";

    /** A data webhook with the dispatcher's default tuning, as published before issue 31. */
    public WebhookState(int schemaVersion, String id, String environment, String url, List<String> notificationTypes,
            boolean paused, Security security, long version, Instant createdAt, Instant updatedAt) {
        this(schemaVersion, id, environment, url, notificationTypes, paused, security, version, createdAt, updatedAt,
                null, null);
    }

    /**
     * Per-webhook delivery tuning (issue 31), each null for the dispatcher's default: {@code timeoutMs} is an attempt's
     * total deadline, {@code maxInFlight} the attempts in flight at once (the lane's concurrency),
     * {@code rateLimitPerSecond} the most attempts started per second (the rest wait, in order; none dropped), and
     * {@code headers} static headers added to each attempt (names and values already checked against the deny-list by
     * webhook-config-service; the dispatcher checks the deny-list again before sending).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tuning(Integer timeoutMs, Integer maxInFlight, Integer rateLimitPerSecond,
            Map<String, String> headers) {
    }

    /** Whether this is the Environment's operational webhook rather than a data webhook. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean operational() {
        return OPERATIONAL.equals(purpose);
    }

    /**
     * Method and secret ids; the dispatcher gets the secrets themselves from {@code keyhook.credentials}.
     * <p>
     * Issue 30 (absent when null, so a webhook that uses none is published as before): {@code signatureScheme} of a
     * {@code standard-webhooks} webhook is {@link #V1} (HMAC-SHA256; the default when null) or {@link #V1A} (Ed25519);
     * {@code signingKeys} are the webhook's own signing material, which no API client holds: Ed25519 key pairs for
     * {@code v1a}, or {@code whsec_} secrets of its own for {@code v1} ({@code "signingSecret": "generated"}), in which
     * case {@code secretIds} is empty. Every active key signs each delivery, which is how their rotation overlaps.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Security(String method, List<String> secretIds, String tokenUrl,
            @JsonInclude(JsonInclude.Include.NON_NULL) String signatureScheme,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<SigningKey> signingKeys) {

        /** HMAC-SHA256 signatures, {@code v1,<base64>}. */
        public static final String V1 = "v1";
        /** Ed25519 signatures, {@code v1a,<base64>}. */
        public static final String V1A = "v1a";

        /** Security signed with API client secrets only, as before issue 30. */
        public Security(String method, List<String> secretIds, String tokenUrl) {
            this(method, secretIds, tokenUrl, null, null);
        }
    }

    /**
     * One signing key or secret of the webhook's own. {@code kind} is {@link #ED25519} or {@link #HMAC};
     * {@code publicKey} is the {@code whpk_} form of an Ed25519 public key (null for an HMAC secret);
     * {@code ciphertext} is the private key (PKCS#8 DER, base64) or the {@code whsec_} string, encrypted with the
     * suite's {@code SecretCipher} under {@code keyVersion}; {@code status} is {@link #ACTIVE} (signs) or
     * {@link #RETIRED} (kept listed until removed, never signs).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SigningKey(String id, String kind, String status, String publicKey, String ciphertext, int keyVersion,
            Instant createdAt, Instant retiredAt) {

        public static final String ED25519 = "ed25519";
        public static final String HMAC = "hmac";
        public static final String ACTIVE = "active";
        public static final String RETIRED = "retired";
    }

    /** Whether this webhook opted into the type. */
    public boolean wants(String type) {
        return notificationTypes != null && notificationTypes.contains(type);
    }
}
