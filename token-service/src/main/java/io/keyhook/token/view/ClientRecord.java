package io.keyhook.token.view;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A {@code keyhook.credentials} record as credentials-service publishes it (and as its internal client API answers):
 * the full state of one client. Unknown fields are ignored so a newer producer does not break this reader.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientRecord(int schemaVersion, String kind, String clientId, String environment, String name,
        String status, List<String> groups, List<String> environments, Instant updatedAt, List<SecretRecord> secrets) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SecretRecord(String id, String status, String verifier, String ciphertext, int keyVersion,
            Instant createdAt, Instant invalidatedAt) {
    }
}
