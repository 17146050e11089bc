package io.keyhook.credentials.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.RefusalAudit;
import io.keyhook.common.security.Caller;
import io.keyhook.credentials.persistence.AuditEntity;
import io.keyhook.credentials.persistence.AuditRepository;
import io.smallrye.mutiny.Uni;

/**
 * Records admin actions. Successes are written inside the action's own transaction (both commit or neither); refusals
 * and errors are written by the common {@link RefusalAudit} afterwards, since the action's transaction was rolled back.
 * Callers must never pass secret values in {@code detail}.
 */
@ApplicationScoped
public class AuditTrail {

    private final AuditRepository repository;
    private final Caller caller;
    private final RefusalAudit refusals;

    @Inject
    AuditTrail(AuditRepository repository, Caller caller, RefusalAudit refusals) {
        this.repository = repository;
        this.caller = caller;
        this.refusals = refusals;
    }

    /** What an action is about; {@code targetId} may be unknown before the action creates it. */
    public record Target(String action, String environmentId, String targetType, String targetId) {
    }

    /** Records a success in the current transaction. */
    public Uni<Void> success(Target t, String targetId, String detail) {
        return successAs(caller.subject(), t, targetId, detail);
    }

    /** Records a success of the system itself (no caller), e.g. the first-start bootstrap. */
    public Uni<Void> successAs(String actor, Target t, String targetId, String detail) {
        return repository.persist(AuditEntity.of(entry(actor, t, targetId, "success", detail))).replaceWithVoid();
    }

    /** Runs {@code work}; if it fails, records the refusal (or error) and passes the failure on. */
    public <T> Uni<T> refusalsOf(Target t, Uni<T> work) {
        return refusals.refusalsOf(t.environmentId(), caller.subject(), t.action(), t.targetType(), t.targetId(), work);
    }

    private static AuditEntry entry(String actor, Target t, String targetId, String result, String detail) {
        return AuditEntry.now(t.environmentId(), actor, null, t.action(), t.targetType(), targetId, result, detail);
    }
}
