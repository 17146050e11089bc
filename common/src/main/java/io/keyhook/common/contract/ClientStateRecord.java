package io.keyhook.common.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The value of a {@code keyhook.credentials} record (key = {@link #clientId}; a tombstone when the client is deleted):
 * the full state of one client and its secrets, as credentials-service publishes it and its internal client API answers
 * it. Carries verifiers and ciphertexts, never a plaintext secret. {@code groups} and {@code environments} are an admin
 * client's (null for an API client). Unknown fields are ignored, so a newer producer does not break a reader.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientStateRecord(int schemaVersion, String kind, String clientId, String environment, String name,
        String status, List<String> groups, List<String> environments, Instant updatedAt, List<SecretState> secrets) {

    /** {@code kind} of a client that gets tokens for an Environment (and whose secrets sign webhooks). */
    public static final String API = "api";
    /** {@code kind} of an admin client (its tokens call Keyhook's own APIs). */
    public static final String ADMIN = "admin";
    /** {@code status} of a client or secret that is honoured. */
    public static final String ACTIVE = "active";

    /** One secret of the client. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SecretState(String id, String status, String verifier, String ciphertext, int keyVersion,
            Instant createdAt, Instant invalidatedAt) {
    }
}
