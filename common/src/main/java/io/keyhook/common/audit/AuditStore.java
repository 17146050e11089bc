package io.keyhook.common.audit;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * Where {@link AuditLog} writes: the Vert.x SQL client ({@link SqlAuditStore}) by default. A service whose own tables
 * are written through Hibernate Reactive provides its own (a bean of higher priority), so its {@code audit_log} is
 * written through one tool only (docs/architecture.md, "Persistence").
 */
public interface AuditStore {

    /** Inserts the entries in one statement or transaction: all or none. */
    Uni<Void> insertAll(List<AuditEntry> entries);
}
