package io.keyhook.credentials.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A guided rotation of a private_key_jwt client's inline key: {@code oldKid} replaced by {@code newKid}. */
@Entity
@Table(name = "client_key_rotations")
public class KeyRotationEntity {

    public static final String OPEN = "open";
    public static final String FINISHED = "finished";
    public static final String CANCELLED = "cancelled";

    @Id
    public String id;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "environment_id")
    public String environmentId;

    @Column(name = "old_kid")
    public String oldKid;

    @Column(name = "new_kid")
    public String newKid;

    public String status;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "started_by")
    public String startedBy;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "override_reason")
    public String overrideReason;

    @Column(name = "override_by")
    public String overrideBy;

    @Column(name = "override_at")
    public Instant overrideAt;

    public boolean isOpen() {
        return OPEN.equals(status);
    }
}
