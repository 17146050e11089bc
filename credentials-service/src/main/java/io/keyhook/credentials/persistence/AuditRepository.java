package io.keyhook.credentials.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEntity, Long> {

    /** Filters for the audit listing; null means "any". */
    public record Filter(String environmentId, String actor, String action, String targetId, String result,
            Instant from, Instant to, Long beforeId) {
    }

    /** Newest first, keyset-paged by id ({@code beforeId}). */
    public Uni<List<AuditEntity>> page(Filter f, int limit) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        add(where, params, "environmentId", f.environmentId());
        add(where, params, "actor", f.actor());
        add(where, params, "action", f.action());
        add(where, params, "targetId", f.targetId());
        add(where, params, "result", f.result());
        if (f.from() != null) {
            params.add(f.from());
            where.add("occurredAt >= ?" + params.size());
        }
        if (f.to() != null) {
            params.add(f.to());
            where.add("occurredAt < ?" + params.size());
        }
        if (f.beforeId() != null) {
            params.add(f.beforeId());
            where.add("id < ?" + params.size());
        }
        return find(String.join(" and ", where), Sort.descending("id"), params.toArray()).page(0, limit).list();
    }

    private static void add(List<String> where, List<Object> params, String field, String value) {
        if (value != null) {
            params.add(value);
            where.add(field + " = ?" + params.size());
        }
    }
}
