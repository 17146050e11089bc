package io.keyhook.common.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The value of a {@code keyhook.credentials} record (key = {@link #clientId}; a tombstone when the client is deleted):
 * the full state of one client and its secrets, as credentials-service publishes it and its internal client API answers
 * it. Carries verifiers and ciphertexts, never a plaintext secret. {@code groups} and {@code environments} are an admin
 * client's (null for an API client). Unknown fields are ignored, so a newer producer does not break a reader.
 * <p>
 * Issue 30's fields are absent when null, so a record without them is published byte for byte as before:
 * {@code authMethod} ({@link #CLIENT_SECRET}, the default when null, or {@link #PRIVATE_KEY_JWT}); for a
 * {@code private_key_jwt} client either {@code jwks} (the registered inline JWKS, public keys only) or {@code jwksUri}
 * (where token-service fetches it); {@code scopes} (the scopes the client may ask for, null = any of its
 * Configuration's) and {@code tokenLifetimeSeconds} (its tokens' lifetime, null = the operator's default).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientStateRecord(int schemaVersion, String kind, String clientId, String environment, String name,
        String status, List<String> groups, List<String> environments, Instant updatedAt, List<SecretState> secrets,
        @JsonInclude(JsonInclude.Include.NON_NULL) String authMethod,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode jwks,
        @JsonInclude(JsonInclude.Include.NON_NULL) String jwksUri,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> scopes,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer tokenLifetimeSeconds) {

    /** {@code authMethod} of a client that authenticates with a secret (today's, and the default when null). */
    public static final String CLIENT_SECRET = "client_secret";
    /** {@code authMethod} of a client that authenticates with a JWT signed by its own key (RFC 7523 section 2.2). */
    public static final String PRIVATE_KEY_JWT = "private_key_jwt";

    /** A client as before issue 30: secret authentication, no per-client scopes or lifetime. */
    public ClientStateRecord(int schemaVersion, String kind, String clientId, String environment, String name,
            String status, List<String> groups, List<String> environments, Instant updatedAt,
            List<SecretState> secrets) {
        this(schemaVersion, kind, clientId, environment, name, status, groups, environments, updatedAt, secrets, null,
                null, null, null, null);
    }

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
