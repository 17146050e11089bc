package io.keyhook.common.audit;

import java.time.Instant;

import io.keyhook.core.text.SafeText;

/**
 * One entry of a service's {@code audit_log}, the same columns with the same meanings in every service: who
 * ({@code actor}: a client id, an admin's subject, {@code anonymous}, or the service itself), from where
 * ({@code source}: the caller's address, when known), did what ({@code action}, e.g. {@code webhook.created}) to what
 * ({@code targetType}, {@code target}), in which Environment, with what {@code result} ({@code success},
 * {@code refused:<code>}, {@code error}) and a short {@code detail}. Never a secret value.
 */
public record AuditEntry(long id, Instant occurredAt, String environment, String actor, String source, String action,
        String targetType, String target, String result, String detail) {

    /** Longest text stored per column; longer values are cut, control characters escaped. */
    static final int MAX_ENVIRONMENT = 64;
    static final int MAX_ACTOR = 200;
    static final int MAX_SOURCE = 64;
    static final int MAX_ACTION = 64;
    static final int MAX_TARGET_TYPE = 32;
    static final int MAX_TARGET = 256;
    static final int MAX_RESULT = 64;
    static final int MAX_DETAIL = 1000;

    /**
     * An entry happening now, every field cleaned and capped so PostgreSQL always accepts it: a hostile name, path or
     * id can neither lose the entry nor the ones written with it.
     */
    public static AuditEntry now(String environment, String actor, String source, String action, String targetType,
            String target, String result, String detail) {
        return new AuditEntry(0, Instant.now(), environment, actor, source, action, targetType, target, result, detail)
                .cleaned();
    }

    /** The same entry, cleaned and capped. */
    public AuditEntry cleaned() {
        return new AuditEntry(id, occurredAt == null ? Instant.now() : occurredAt,
                SafeText.sanitize(environment, MAX_ENVIRONMENT),
                actor == null ? "anonymous" : SafeText.sanitize(actor, MAX_ACTOR),
                SafeText.sanitize(source, MAX_SOURCE), SafeText.sanitize(action, MAX_ACTION),
                SafeText.sanitize(targetType, MAX_TARGET_TYPE), SafeText.sanitize(target, MAX_TARGET),
                SafeText.sanitize(result, MAX_RESULT), SafeText.sanitize(detail, MAX_DETAIL));
    }

    /** What is stored instead of an entry the database refused, so the gap itself is on record. */
    AuditEntry placeholder() {
        return new AuditEntry(0, occurredAt, environment, "keyhook", null, "audit.unstorable", null, null, "error",
                "an audit entry was refused by the database");
    }
}
