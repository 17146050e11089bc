package io.keyhook.credentials.service;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.AuditStore;
import io.keyhook.credentials.persistence.AuditEntity;
import io.keyhook.credentials.persistence.AuditRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The common audit writer's store here, and the transaction of each batch it writes (the service layer opens
 * transactions; {@link AuditRepository} only persists): this service's tables, {@code audit_log} included, are written
 * through Hibernate Reactive only, since its successes are audited inside the action's own transaction.
 */
@ApplicationScoped
public class PanacheAuditStore implements AuditStore {

    @Inject
    AuditRepository repository;

    @Override
    public Uni<Void> insertAll(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Supplier<Uni<Void>> insert = () -> Panache
                .withTransaction(() -> repository.persist(entries.stream().map(AuditEntity::of)));
        if (Vertx.currentContext() != null) {
            return insert.get();
        }
        // the common writer's own thread: Hibernate Reactive needs a (safe, duplicated) Vert.x context
        return Uni.createFrom().item(() -> {
            try {
                return VertxContextSupport.subscribeAndAwait(insert);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
