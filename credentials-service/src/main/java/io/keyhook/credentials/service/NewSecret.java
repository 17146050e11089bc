package io.keyhook.credentials.service;

import java.time.Instant;

import io.keyhook.credentials.persistence.SecretEntity;

/** A freshly made secret: the value (returned once, then dropped) and its stored forms. */
record NewSecret(String id, String value, String verifier, String ciphertext, int keyVersion) {

    SecretEntity toEntity(String clientId, Instant now) {
        SecretEntity s = new SecretEntity();
        s.id = id;
        s.clientId = clientId;
        s.status = SecretEntity.ACTIVE;
        s.verifier = verifier;
        s.ciphertext = ciphertext;
        s.keyVersion = keyVersion;
        s.createdAt = now;
        return s;
    }

    @Override
    public String toString() {
        // records print their components: keep the value out of any log line
        return "NewSecret[id=" + id + "]";
    }
}
