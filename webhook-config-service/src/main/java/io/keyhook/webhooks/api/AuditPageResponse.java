package io.keyhook.webhooks.api;

import java.time.Instant;
import java.util.List;

/** A page of audit entries, newest first; {@code nextCursor} null on the last page. */
public record AuditPageResponse(List<Entry> items, String nextCursor) {

    /** One entry: never a secret. */
    public record Entry(Instant occurredAt, String actor, String action, String target, String result, String detail) {
    }
}
