package io.keyhook.dispatcher.persistence;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.AuditLog;
import io.keyhook.common.audit.AuditPage;
import io.keyhook.common.audit.AuditQuery;
import io.keyhook.common.audit.SqlAuditStore;
import io.smallrye.mutiny.Uni;

/**
 * {@code dispatcher.audit_log}: every time a webhook's client secret is sent to a receiver's token URL
 * ({@code secret.sent}) or held back because the URL is not the receiver's ({@code secret.withheld}). Written by the
 * common {@link AuditLog}, off the delivery's path: a write that fails is retried or counted, never a failed delivery.
 */
@ApplicationScoped
public class SecretUseAudit {

    /** One entry as the API shows it. */
    public record Entry(long id, Instant occurredAt, String actor, String action, String target, String result,
            String detail) {
    }

    @Inject
    AuditLog log;

    @Inject
    SqlAuditStore store;

    public void record(String environment, String webhookId, String action, String tokenHost, String result,
            String detail) {
        log.record(AuditEntry.now(environment, "dispatcher:" + webhookId, null, action, "token-url", tokenHost, result,
                detail));
    }

    /** Newest first, entries with an id below {@code before} (null = from the newest); common's paging rule. */
    public Uni<AuditPage<Entry>> page(String environment, Long before, int limit) {
        return store.page(AuditQuery.of(environment, before, limit)).map(page -> page.map(
                e -> new Entry(e.id(), e.occurredAt(), e.actor(), e.action(), e.target(), e.result(), e.detail())));
    }
}
