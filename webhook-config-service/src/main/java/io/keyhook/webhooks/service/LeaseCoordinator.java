package io.keyhook.webhooks.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.audit.RefusalAudit;
import io.keyhook.webhooks.client.Leases;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The lease protocol: every secret a webhook signs with (or sends to its token URL) is leased in credentials-service,
 * which then refuses to invalidate it. A secret in use is never unleased, not even by a change that fails, and a
 * webhook that is gone keeps none. Used for every change of a webhook's secrets, an admin's (WebhookService) and a
 * guided rotation's step (RotationService).
 */
@ApplicationScoped
public class LeaseCoordinator {

    private static final Logger LOG = Logger.getLogger(LeaseCoordinator.class);

    private final Pool pool;
    private final WebhookRepository repository;
    private final Leases leases;
    private final WebhookValidator validator;
    private final ChangeRecorder recorder;
    private final RefusalAudit refusals;

    @Inject
    LeaseCoordinator(Pool pool, WebhookRepository repository, Leases leases, WebhookValidator validator,
            ChangeRecorder recorder, RefusalAudit refusals) {
        this.pool = pool;
        this.repository = repository;
        this.leases = leases;
        this.validator = validator;
        this.recorder = recorder;
        this.refusals = refusals;
    }

    /**
     * A new webhook: checked, its secrets leased, then {@code insert} (its own transaction) runs; should that fail, the
     * leases are released again.
     */
    Uni<Void> leasedForCreate(WebhookRow row, Supplier<Uni<Void>> insert) {
        if (row.secretIds().isEmpty()) {
            // signs with keys of its own (issue 30): no client secret to lease
            return validator.validate(row).chain(() -> insert.get());
        }
        return validator.validate(row)
                .chain(() -> leases.set(row.id(), row.environment(), row.secretIds(), disclosureOf(row)))
                .chain(() -> insert.get().onFailure().call(e -> releaseQuietly(row.id())));
    }

    /**
     * A webhook being deleted under its row lock: the leases are released first (a webhook that is gone must never keep
     * a secret from being invalidated), then {@code delete} runs; should it fail, the leases are put back while the
     * lock is still held, so they never come back for a webhook that is gone, nor go missing for one that stays.
     */
    Uni<Void> releasedForDelete(WebhookRow w, Supplier<Uni<Void>> delete) {
        return leases.release(w.id()).chain(() -> delete.get().onFailure().call(e -> leases
                .set(w.id(), w.environment(), w.secretIds(), disclosureOf(w)).onFailure().recoverWithNull()));
    }

    /**
     * A guided rotation changes a webhook's secrets (also from the background job, with no request): same checks,
     * leases, record and audit as an admin's change, with {@code actor} as the actor.
     */
    public Uni<WebhookRow> setSecretsAs(String actor, String env, String id, UnaryOperator<List<String>> secrets) {
        return changeAs(actor, env, id, "webhook.update",
                old -> old.withSecretIds(secrets.apply(old.secretIds()), Instant.now()));
    }

    /**
     * A change made under the webhook's row lock, from reading it to committing: a concurrent change (PATCH, pause,
     * delete, a rotation step on another replica) waits and then starts from this one's result, so none is lost or
     * undone. While the lock is held, the leases cover the old and the new secrets (a secret in use is never unleased,
     * even if the commit fails); once committed, they are narrowed to the webhook's secrets as committed, under the
     * lock again. A refusal is audited; the webhook as committed is emitted.
     */
    Uni<WebhookRow> changeAs(String actor, String env, String id, String action,
            Function<WebhookRow, WebhookRow> next) {
        Uni<Change> committed = pool
                .withTransaction(c -> repository.find(c, env, id, true)
                        .chain(current -> applyLocked(c, actor, action, WebhookService.found(current, id), next)))
                .call(change -> change.removedSecrets() ? narrowLeases(change.after()) : Uni.createFrom().voidItem());
        return refusals.refusalsOf(env, actor, action, WebhookService.TARGET_TYPE, id, committed).map(Change::after);
    }

    /** A committed change: the webhook before and after. */
    private record Change(WebhookRow before, WebhookRow after) {

        boolean removedSecrets() {
            return !after.secretIds().containsAll(before.secretIds());
        }
    }

    private Uni<Change> applyLocked(SqlConnection c, String actor, String action, WebhookRow before,
            Function<WebhookRow, WebhookRow> next) {
        WebhookRow after = next.apply(before);
        List<String> covering = union(before.secretIds(), after.secretIds());
        // a new token endpoint site is a new disclosure even with the same secrets: credentials-service must see it
        boolean leaseChange = !covering.equals(before.secretIds())
                || !Objects.equals(disclosureOf(before), disclosureOf(after));
        Uni<Void> lease = leaseChange ? leases.set(before.id(), before.environment(), covering, disclosureOf(after))
                : Uni.createFrom().voidItem();
        return validator.validate(after).chain(() -> lease)
                .chain(() -> repository.update(c, after).chain(() -> recorder.changed(c, after, action, actor, null)))
                .onFailure()
                .call(e -> leaseChange
                        ? leases.set(before.id(), before.environment(), before.secretIds(), disclosureOf(before))
                                .onFailure().recoverWithNull()
                        : Uni.createFrom().voidItem())
                .replaceWith(new Change(before, after));
    }

    /** After a committed change: the leases become exactly the webhook's secrets, if it is still at that version. */
    private Uni<Void> narrowLeases(WebhookRow after) {
        // under the row lock the committed row is the truth, and no other change is between widening and committing:
        // the leases become its secrets even if another change committed since (that change may have left the leases
        // alone, e.g. a rotation job repeating a step already done, and then nobody else would narrow them)
        return pool.withTransaction(c -> repository.find(c, after.environment(), after.id(), true).chain(current -> {
            if (current == null) {
                return Uni.createFrom().voidItem();
            }
            return leases.set(current.id(), current.environment(), current.secretIds(), disclosureOf(current));
        })).onFailure()
                .invoke(e -> LOG.warnf("Leases of %s not narrowed yet (they still cover its former secrets,"
                        + " which only delays invalidating those): %s", after.id(), e.toString()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> releaseQuietly(String id) {
        return leases.release(id).onFailure()
                .invoke(e -> LOG.warnf("Could not release the leases of %s after a failed create: %s", id, e))
                .onFailure().recoverWithNull();
    }

    private static Leases.Disclosure disclosureOf(WebhookRow w) {
        return Leases.Disclosure.of(w.method(), w.tokenUrl(), w.secretIds());
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        for (String s : b) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
