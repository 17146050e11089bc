package io.keyhook.credentials.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.error.ProblemException;
import io.keyhook.common.security.Caller;
import io.keyhook.common.text.SafeText;
import io.keyhook.credentials.persistence.AuditEntity;
import io.keyhook.credentials.persistence.AuditRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Records admin actions. Successes are written inside the action's own transaction (both commit or neither); refusals
 * and errors are written afterwards in a transaction of their own, since the action's was rolled back. Callers must
 * never pass secret values in {@code detail}.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    @Inject
    AuditRepository repository;

    @Inject
    Caller caller;

    /** What an action is about; {@code targetId} may be unknown before the action creates it. */
    public record Target(String action, String environmentId, String targetType, String targetId) {
    }

    /** Records a success in the current transaction. */
    public Uni<Void> success(Target t, String targetId, String detail) {
        return successAs(caller.subject(), t, targetId, detail);
    }

    /** Records a success of the system itself (no caller), e.g. the first-start bootstrap. */
    public Uni<Void> successAs(String actor, Target t, String targetId, String detail) {
        return repository.persist(entry(actor, t, targetId, "success", detail)).replaceWithVoid();
    }

    /** Runs {@code work}; if it fails, records the refusal (or error) and passes the failure on. */
    public <T> Uni<T> refusalsOf(Target t, Uni<T> work) {
        String actor = caller.subject();
        return work.onFailure().call(e -> {
            String result = e instanceof ProblemException p ? "refused:" + p.code() : "error";
            return Panache.withTransaction(() -> repository.persist(entry(actor, t, t.targetId(), result, null)))
                    .onFailure().invoke(ae -> LOG.warnf("Could not audit a failed %s: %s", t.action(), ae.toString()))
                    .onFailure().recoverWithNull();
        });
    }

    private static AuditEntity entry(String actor, Target t, String targetId, String result, String detail) {
        AuditEntity a = new AuditEntity();
        a.occurredAt = Instant.now();
        // cleaned and capped to the columns, so PostgreSQL always accepts the row
        a.actor = SafeText.sanitize(actor, 200);
        a.action = SafeText.sanitize(t.action(), 64);
        a.environmentId = SafeText.sanitize(t.environmentId(), 64);
        a.targetType = SafeText.sanitize(t.targetType(), 32);
        a.targetId = SafeText.sanitize(targetId, 128);
        a.result = SafeText.sanitize(result, 64);
        a.detail = SafeText.sanitize(detail, 1000);
        return a;
    }
}
