package io.keyhook.common.audit;

import java.time.Instant;

/**
 * What an audit API asks for: an Environment's entries, newest first, those with an id below {@code before} (null =
 * from the newest), at most {@code limit}. Each other field narrows the page when given (null = any): exact
 * {@code actor}, {@code action}, {@code target} and {@code result}, and {@code occurredAt} within {@code [from, to)}.
 */
public record AuditQuery(String environment, String actor, String action, String target, String result, Instant from,
        Instant to, Long before, int limit) {

    /** An Environment's entries, no filter. */
    public static AuditQuery of(String environment, Long before, int limit) {
        return new AuditQuery(environment, null, null, null, null, null, null, before, limit);
    }
}
