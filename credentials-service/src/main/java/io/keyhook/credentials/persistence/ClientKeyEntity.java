package io.keyhook.credentials.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * When a kid of a private_key_jwt client was first registered, and when it was flagged as older than the Environment's
 * maximum age. A kid that stays in the JWKS across a PATCH keeps its row (and its time).
 */
@Entity
@Table(name = "client_keys")
@IdClass(ClientKeyEntity.Key.class)
public class ClientKeyEntity {

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Id
    public String kid;

    @Column(name = "registered_at")
    public Instant registeredAt;

    @Column(name = "age_flagged_at")
    public Instant ageFlaggedAt;

    public static ClientKeyEntity of(String clientId, String kid, Instant registeredAt) {
        ClientKeyEntity k = new ClientKeyEntity();
        k.clientId = clientId;
        k.kid = kid;
        k.registeredAt = registeredAt;
        return k;
    }

    /** The composite id. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        public String clientId;
        public String kid;

        public Key() {
        }

        public Key(String clientId, String kid) {
            this.clientId = clientId;
            this.kid = kid;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(clientId, k.clientId) && Objects.equals(kid, k.kid);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clientId, kid);
        }
    }
}
