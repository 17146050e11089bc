package io.keyhook.credentials.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.keyhook.common.contract.ClientStateRecord;

/** A client secret at rest: a peppered verifier and a ciphertext, never the plaintext. */
@Entity
@Table(name = "client_secrets")
public class SecretEntity {

    public static final String ACTIVE = ClientStateRecord.ACTIVE;
    public static final String INVALIDATED = "invalidated";

    @Id
    public String id;

    @Column(name = "client_id")
    public String clientId;

    public String status;

    public String verifier;

    public String ciphertext;

    @Column(name = "key_version")
    public int keyVersion;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "invalidated_at")
    public Instant invalidatedAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    /** When the secret was found older than its Environment's maximum age (null: never). */
    @Column(name = "age_flagged_at")
    public Instant ageFlaggedAt;

    /** The site a token-exchange lease sent this secret to; set once, never cleared (see V5). */
    @Column(name = "disclosed_to")
    public String disclosedTo;

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
