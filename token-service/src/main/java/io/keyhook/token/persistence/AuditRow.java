package io.keyhook.token.persistence;

import java.time.Instant;

/** One audit entry: who (client id or "anonymous"), from where, did what, with what result. Never a secret. */
public record AuditRow(long id, Instant occurredAt, String environment, String actor, String source, String action,
        String target, String result, String reason) {
}
