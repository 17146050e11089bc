package io.keyhook.common.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.core.error.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * Audits an admin action that failed. Its success is written in the action's own transaction; a refusal or an error
 * rolled that back, so it is written afterwards by the common {@link AuditLog}, before the caller gets the answer (an
 * admin finds it in the trail as soon as the refusal arrives).
 */
@ApplicationScoped
public class RefusalAudit {

    private final AuditLog log;

    @Inject
    public RefusalAudit(AuditLog log) {
        this.log = log;
    }

    /**
     * Runs {@code work}; should it fail, the entry is written with the result {@code refused:<code>} for a problem
     * answered to the caller, {@code error} for anything else, and the failure is passed on unchanged.
     */
    public <T> Uni<T> refusalsOf(String environment, String actor, String action, String targetType, String target,
            Uni<T> work) {
        return work.onFailure().call(e -> log
                .writeNow(AuditEntry.now(environment, actor, null, action, targetType, target, resultOf(e), null)));
    }

    /** {@code refused:<code>} for a refusal, {@code error} for a failure. */
    static String resultOf(Throwable failure) {
        return failure instanceof ProblemException p ? "refused:" + p.code() : "error";
    }
}
