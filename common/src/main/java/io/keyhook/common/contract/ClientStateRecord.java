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
 * Issue 30 (absent when null, so today's clients are published byte for byte as before): {@code authMethod} is
 * {@link #CLIENT_SECRET} (the default when null) or {@link #PRIVATE_KEY_JWT}, with the client's public {@code jwks} or
 * its {@code jwksUri}; {@code scopes} are the scopes the client may be granted (null: any scope of its Configuration's
 * data types, as before: token-service's {@code keyhook.token.api-scopes}); {@code tokenLifetimeSeconds} is the
 * lifetime of its tokens (null: token-service's default), capped by token-service's maximum.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientStateRecord(int schemaVersion, String kind, String clientId, String environment, String name,
        String status, List<String> groups, List<String> environments, Instant updatedAt, List<SecretState> secrets,
        @JsonInclude(JsonInclude.Include.NON_NULL) String authMethod,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode jwks,
        @JsonInclude(JsonInclude.Include.NON_NULL) String jwksUri,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> scopes,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long tokenLifetimeSeconds) {

    /** {@code kind} of a client that gets tokens for an Environment (and whose secrets sign webhooks). */
    public static final String API = "api";
    /** {@code kind} of an admin client (its tokens call Keyhook's own APIs). */
    public static final String ADMIN = "admin";
    /** {@code status} of a client or secret that is honoured. */
    public static final String ACTIVE = "active";
    /** {@code authMethod} of a client that proves itself with a secret (today's, the default). */
    public static final String CLIENT_SECRET = "client_secret";
    /** {@code authMethod} of a client that signs an assertion with its private key (RFC 7523, SMART). */
    public static final String PRIVATE_KEY_JWT = "private_key_jwt";

    /** A client as before issue 30: secrets, any scope, the default lifetime. */
    public ClientStateRecord(int schemaVersion, String kind, String clientId, String environment, String name,
            String status, List<String> groups, List<String> environments, Instant updatedAt,
            List<SecretState> secrets) {
        this(schemaVersion, kind, clientId, environment, name, status, groups, environments, updatedAt, secrets, null,
                null, null, null, null);
    }

    /** One secret of the client. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SecretState(String id, String status, String verifier, String ciphertext, int keyVersion,
            Instant createdAt, Instant invalidatedAt) {
    }
}
