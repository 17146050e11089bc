package io.keyhook.webhooks.api;

import java.time.Instant;
import java.util.List;

import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.AuditPage;

/** A page of audit entries, newest first; {@code nextCursor} null on the last page. */
public record AuditPageResponse(List<Entry> items, String nextCursor) {

    /** One entry: never a secret. */
    public record Entry(Instant occurredAt, String actor, String action, String target, String result, String detail) {
    }

    /** The page as this API shows it. */
    public static AuditPageResponse of(AuditPage<AuditEntry> page) {
        AuditPage<Entry> shown = page
                .map(r -> new Entry(r.occurredAt(), r.actor(), r.action(), r.target(), r.result(), r.detail()));
        return new AuditPageResponse(shown.items(), shown.nextCursor());
    }
}
