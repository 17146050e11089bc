package io.keyhook.credentials.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.api.AuditPageResponse;
import io.keyhook.credentials.persistence.AuditRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Reads an Environment's audit trail, newest first, keyset-paged. */
@ApplicationScoped
public class AuditService {

    @Inject
    AuditRepository repository;

    @Inject
    EnvironmentService environments;

    @WithSession
    public Uni<AuditPageResponse> page(String environmentId, String actor, String action, String targetId,
            String result, Instant from, Instant to, String cursor, int limit) {
        Long before = parseCursor(cursor);
        var filter = new AuditRepository.Filter(environmentId, actor, action, targetId, result, from, to, before);
        return environments.find(environmentId).chain(e -> repository.page(filter, limit + 1)).map(rows -> {
            boolean more = rows.size() > limit;
            var items = rows.stream().limit(limit).map(Mapping::audit).toList();
            return new AuditPageResponse(items, more ? Long.toString(items.get(items.size() - 1).id()) : null);
        });
    }

    private static Long parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("invalid_cursor", "cursor must be a value from nextCursor");
        }
    }
}
