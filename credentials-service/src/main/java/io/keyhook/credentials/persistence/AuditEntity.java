package io.keyhook.credentials.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.keyhook.common.audit.AuditEntry;

/**
 * One entry of the append-only audit trail, in the shape every service shares (common {@code AuditEntry}; the Java
 * names {@code environmentId} and {@code targetId} are this service's API names). Never holds a secret value.
 */
@Entity
@Table(name = "audit_log")
public class AuditEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public String actor;

    public String action;

    @Column(name = "environment")
    public String environmentId;

    public String source;

    @Column(name = "target_type")
    public String targetType;

    @Column(name = "target")
    public String targetId;

    public String result;

    public String detail;

    /** The entity for a (cleaned) common entry. */
    public static AuditEntity of(AuditEntry e) {
        AuditEntity a = new AuditEntity();
        a.occurredAt = e.occurredAt();
        a.environmentId = e.environment();
        a.actor = e.actor();
        a.source = e.source();
        a.action = e.action();
        a.targetType = e.targetType();
        a.targetId = e.target();
        a.result = e.result();
        a.detail = e.detail();
        return a;
    }
}
