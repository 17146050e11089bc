package io.keyhook.credentials.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Writes {@code audit_log} (its pages are read by the common {@code SqlAuditStore}, as in every service). */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEntity, Long> {
}
