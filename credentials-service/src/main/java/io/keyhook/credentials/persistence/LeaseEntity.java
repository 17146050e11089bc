package io.keyhook.credentials.persistence;

import java.io.Serializable;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A webhook's hold on a secret: while one exists the secret cannot be invalidated. */
@Entity
@Table(name = "secret_leases")
@IdClass(LeaseEntity.Key.class)
public class LeaseEntity {

    @Id
    @Column(name = "secret_id")
    public String secretId;

    @Id
    @Column(name = "webhook_id")
    public String webhookId;

    @Column(name = "environment_id")
    public String environmentId;

    @Column(name = "created_at")
    public Instant createdAt;

    public record Key(String secretId, String webhookId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
