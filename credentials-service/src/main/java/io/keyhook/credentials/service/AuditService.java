package io.keyhook.credentials.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.AuditQuery;
import io.keyhook.common.audit.SqlAuditStore;
import io.keyhook.credentials.api.AuditEntryResponse;
import io.keyhook.credentials.api.AuditPageResponse;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Reads an Environment's audit trail, newest first, keyset-paged, through the common audit read (a read only: the trail
 * is still written through Hibernate alone, {@code PanacheAuditStore}).
 */
@ApplicationScoped
public class AuditService {

    private final SqlAuditStore audit;
    private final EnvironmentService environments;

    @Inject
    AuditService(SqlAuditStore audit, EnvironmentService environments) {
        this.audit = audit;
        this.environments = environments;
    }

    @WithSession
    public Uni<AuditPageResponse> page(String environmentId, String actor, String action, String targetId,
            String result, Instant from, Instant to, String cursor, int limit) {
        AuditQuery q = new AuditQuery(environmentId, actor, action, targetId, result, from, to,
                QueryParams.cursor(cursor), limit);
        return environments.find(environmentId).chain(e -> audit.page(q)).map(page -> page.map(AuditService::entry))
                .map(page -> new AuditPageResponse(page.items(), page.nextCursor()));
    }

    private static AuditEntryResponse entry(AuditEntry a) {
        return new AuditEntryResponse(a.id(), a.occurredAt(), a.actor(), a.action(), a.environment(), a.targetType(),
                a.target(), a.result(), a.detail());
    }

}
