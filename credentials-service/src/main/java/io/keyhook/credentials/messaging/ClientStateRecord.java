package io.keyhook.credentials.messaging;

import java.time.Instant;
import java.util.List;

/**
 * The value of a {@code keyhook.credentials} record: the full state of one client and its secrets (key = client id).
 * Carries verifiers and ciphertexts, never a plaintext secret.
 */
public record ClientStateRecord(int schemaVersion, String kind, String clientId, String environment, String name,
        String status, List<String> groups, List<String> environments, Instant updatedAt, List<SecretState> secrets) {

    public record SecretState(String id, String status, String verifier, String ciphertext, int keyVersion,
            Instant createdAt, Instant invalidatedAt) {
    }
}
