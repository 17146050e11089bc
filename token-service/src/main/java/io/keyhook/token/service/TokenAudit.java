package io.keyhook.token.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.AuditLog;
import io.smallrye.mutiny.Uni;

/**
 * Audits token-endpoint failures, revocations and key revocations through the common {@link AuditLog}: queued in memory
 * and written in batches, so the database is never on the token path. The target type is the action's subject
 * ({@code client}, {@code secret}, {@code token}, {@code signing_key}).
 */
@ApplicationScoped
public class TokenAudit {

    @Inject
    AuditLog log;

    public void record(String environment, String actor, String source, String action, String target, String result,
            String reason) {
        log.record(entry(environment, actor, source, action, target, result, reason));
    }

    /** Writes the entry at once rather than through the queue (at shutdown, when the queue may not be drained). */
    public Uni<Void> writeNow(String environment, String actor, String source, String action, String target,
            String result, String reason) {
        return log.writeNow(entry(environment, actor, source, action, target, result, reason));
    }

    private static AuditEntry entry(String environment, String actor, String source, String action, String target,
            String result, String reason) {
        String targetType = action.contains(".") ? action.substring(0, action.indexOf('.')) : null;
        return AuditEntry.now(environment, actor, source, action, targetType, target, result, reason);
    }

    /** Waits until everything queued so far is written (tests, shutdown). */
    public boolean flushed(Duration timeout) {
        return log.flushed(timeout);
    }
}
