package io.keyhook.webhooks.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.AuditLog;
import io.keyhook.common.audit.SqlAuditStore;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.security.Caller;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.SecurityMethods;
import io.keyhook.webhooks.api.AuditPageResponse;
import io.keyhook.webhooks.api.SecurityBody;
import io.keyhook.webhooks.api.WebhookBody;
import io.keyhook.webhooks.api.WebhookLimitsResponse;
import io.keyhook.webhooks.api.WebhookPatchBody;
import io.keyhook.webhooks.api.WebhookResponse;
import io.keyhook.webhooks.client.Leases;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.keyhook.webhooks.messaging.WebhookStates;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.keyhook.webhooks.view.EnvironmentView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Webhooks of an Environment. Each change is checked (types offered by the Configuration, safe destination, usable
 * secrets), the secrets are leased in credentials-service, and the row, its {@code keyhook.webhooks} outbox record and
 * the audit entry commit together. A failed change leaves nothing behind: the lease is put back as it was.
 */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    static final String TOKEN_EXCHANGE = SecurityMethods.TOKEN_EXCHANGE;

    @Inject
    Pool pool;

    @Inject
    AuditLog auditLog;

    @Inject
    SqlAuditStore auditStore;

    @Inject
    WebhookRepository repository;

    @Inject
    EnvironmentView environments;

    @Inject
    KafkaSettings kafka;

    @Inject
    Destinations destinations;

    @Inject
    Leases leases;

    @Inject
    WebhooksConfig config;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper json;

    public Uni<List<String>> notificationTypes(String env) {
        requireEnvironment(env);
        return Uni.createFrom().item(environments.notificationTypes(env));
    }

    public Uni<List<WebhookResponse>> list(String env) {
        requireEnvironment(env);
        List<String> offered = environments.notificationTypes(env);
        return repository.list(pool, env).map(rows -> rows.stream().map(w -> WebhookResponse.of(w, offered)).toList());
    }

    /** How many webhooks the Environment has and may have, so a form can say so before it is filled in. */
    public Uni<WebhookLimitsResponse> limits(String env) {
        requireEnvironment(env);
        return repository.list(pool, env).map(rows -> new WebhookLimitsResponse(config.maxPerEnvironment(), rows.size(),
                config.maxNotificationTypes()));
    }

    public Uni<WebhookResponse> get(String env, String id) {
        requireEnvironment(env);
        return repository.find(pool, env, id, false)
                .map(w -> WebhookResponse.of(found(w, id), environments.notificationTypes(env)));
    }

    public Uni<AuditPageResponse> audit(String env, Long before, int limit) {
        requireEnvironment(env);
        return auditStore.page(env, null, null, null, before, limit)
                .map(rows -> new AuditPageResponse(
                        rows.stream()
                                .map(r -> new AuditPageResponse.Entry(r.occurredAt(), r.actor(), r.action(), r.target(),
                                        r.result(), r.detail()))
                                .toList(),
                        rows.size() == limit ? String.valueOf(rows.get(rows.size() - 1).id()) : null));
    }

    public Uni<WebhookResponse> create(String env, WebhookBody body) {
        requireEnvironment(env);
        String actor = caller.subject();
        String id = SecretGenerator.newId("wh_");
        Instant now = Instant.now();
        WebhookRow row = new WebhookRow(id, env, body.url(), body.security().method(), body.security().secretIds(),
                body.security().tokenUrl(), body.notificationTypes(), Boolean.TRUE.equals(body.paused()), 1, now, now);
        return audited(env, "webhook.create", id,
                validate(row).chain(() -> leases.set(id, env, row.secretIds(), disclosureOf(row)))
                        .chain(() -> pool.withTransaction(c -> repository.countLocked(c, env).chain(count -> {
                            if (count >= config.maxPerEnvironment()) {
                                throw new ProblemException(409, "webhook_limit_reached", "Conflict",
                                        "Environment " + env + " already has " + count
                                                + " webhook(s), the most allowed ("
                                                + "keyhook.webhooks.max-per-environment = " + config.maxPerEnvironment()
                                                + "); change or delete one instead");
                            }
                            return repository.insert(c, row)
                                    .chain(() -> publishAndAudit(c, row, "webhook.create", actor));
                        })).onFailure().call(e -> releaseQuietly(id))))
                                .map(ignored -> WebhookResponse.of(row, environments.notificationTypes(env)));
    }

    public Uni<WebhookResponse> replace(String env, String id, WebhookBody body) {
        return change(env, id, "webhook.update",
                old -> new WebhookRow(id, env, body.url(), body.security().method(), body.security().secretIds(),
                        body.security().tokenUrl(), body.notificationTypes(),
                        body.paused() == null ? old.paused() : body.paused(), old.version() + 1, old.createdAt(),
                        Instant.now()));
    }

    public Uni<WebhookResponse> patch(String env, String id, WebhookPatchBody body) {
        return change(env, id, "webhook.update", old -> {
            SecurityBody s = body.security();
            return new WebhookRow(id, env, body.url() == null ? old.url() : body.url(),
                    s == null ? old.method() : s.method(), s == null ? old.secretIds() : s.secretIds(),
                    s == null ? old.tokenUrl() : s.tokenUrl(),
                    body.notificationTypes() == null ? old.notificationTypes() : body.notificationTypes(),
                    body.paused() == null ? old.paused() : body.paused(), old.version() + 1, old.createdAt(),
                    Instant.now());
        });
    }

    /** Pause or resume; idempotent (an unchanged state is not published again), always audited. */
    public Uni<WebhookResponse> setPaused(String env, String id, boolean paused) {
        requireEnvironment(env);
        String actor = caller.subject();
        String action = paused ? "webhook.pause" : "webhook.resume";
        return audited(env, action, id, pool.withTransaction(c -> repository.find(c, env, id, true).chain(old -> {
            WebhookRow w = found(old, id);
            if (w.paused() == paused) {
                return repository.audit(c, env, actor, action, id, "success", "unchanged").replaceWith(w);
            }
            WebhookRow changed = w.withPaused(paused, Instant.now());
            return repository.update(c, changed).chain(() -> publishAndAudit(c, changed, action, actor))
                    .replaceWith(changed);
        }))).map(w -> WebhookResponse.of(w, environments.notificationTypes(env)));
    }

    /**
     * The dispatcher reports that the receiver answered 410 Gone: the webhook is paused (its events are held, not lost)
     * and the audit trail says why, so an admin sees it and can resume it once the receiver is back.
     */
    public Uni<WebhookResponse> disableGone(String id, String reason) {
        String actor = caller.subject();
        return pool.withTransaction(c -> repository.findAnyLocked(c, id).chain(old -> {
            WebhookRow w = found(old, id);
            if (w.paused()) {
                return repository
                        .audit(c, w.environment(), actor, "webhook.disable", id, "success", "already paused; " + reason)
                        .replaceWith(w);
            }
            WebhookRow changed = w.withPaused(true, Instant.now());
            return repository.update(c, changed)
                    .chain(() -> publishAndAudit(c, changed, "webhook.disable", actor, reason)).replaceWith(changed);
        })).map(w -> WebhookResponse.of(w, environments.notificationTypes(w.environment())));
    }

    /**
     * Deletes under the webhook's row lock: the leases are released, then the row, its tombstone and the audit entry
     * commit together. Should that fail, the leases are put back while the lock is still held, so they never come back
     * for a webhook that is gone, nor go missing for one that stays.
     */
    public Uni<Void> delete(String env, String id) {
        requireEnvironment(env);
        String actor = caller.subject();
        return audited(env, "webhook.delete", id,
                pool.withTransaction(c -> repository.find(c, env, id, true).chain(current -> {
                    WebhookRow w = found(current, id);
                    // release first: a webhook that is gone must never keep a secret from being invalidated
                    return leases.release(id)
                            .chain(() -> repository.delete(c, id)
                                    .chain(() -> repository.outbox(c, kafka.webhooksTopic(), id, null))
                                    .chain(() -> repository.audit(c, env, actor, "webhook.delete", id, "success", null))
                                    .onFailure().call(e -> leases.set(id, env, w.secretIds(), disclosureOf(w))
                                            .onFailure().recoverWithNull()));
                })));
    }

    private Uni<WebhookResponse> change(String env, String id, String action, Function<WebhookRow, WebhookRow> next) {
        requireEnvironment(env);
        return changeAs(caller.subject(), env, id, action, next);
    }

    /**
     * A guided rotation changes a webhook's secrets (also from the background job, with no request): same checks,
     * leases, record and audit as an admin's change, with {@code actor} as the actor.
     */
    public Uni<WebhookResponse> setSecretsAs(String actor, String env, String id, UnaryOperator<List<String>> secrets) {
        return changeAs(actor, env, id, "webhook.update",
                old -> new WebhookRow(id, env, old.url(), old.method(), secrets.apply(old.secretIds()), old.tokenUrl(),
                        old.notificationTypes(), old.paused(), old.version() + 1, old.createdAt(), Instant.now()));
    }

    /** The webhooks of an Environment (no caller check: for services acting on an admin's earlier request). */
    public Uni<List<WebhookRow>> rowsOf(String env) {
        return repository.list(pool, env);
    }

    /**
     * A change made under the webhook's row lock, from reading it to committing: a concurrent change (PATCH, pause,
     * delete, a rotation step on another replica) waits and then starts from this one's result, so none is lost or
     * undone. While the lock is held, the leases cover the old and the new secrets (a secret in use is never unleased,
     * even if the commit fails); once committed, they are narrowed to the webhook's secrets as committed, under the
     * lock again.
     */
    private Uni<WebhookResponse> changeAs(String actor, String env, String id, String action,
            Function<WebhookRow, WebhookRow> next) {
        return auditedAs(actor, env, action, id, pool
                .withTransaction(c -> repository.find(c, env, id, true)
                        .chain(current -> applyLocked(c, actor, action, found(current, id), next)))
                .call(change -> change.removedSecrets() ? narrowLeases(change.after()) : Uni.createFrom().voidItem()))
                        .map(change -> WebhookResponse.of(change.after(), environments.notificationTypes(env)));
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
        return validate(after).chain(() -> lease)
                .chain(() -> repository.update(c, after).chain(() -> publishAndAudit(c, after, action, actor)))
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

    /** Types offered, exact, no duplicates; secrets distinct; token URL only (and always) for token-exchange. */
    private Uni<Void> validate(WebhookRow w) {
        List<Problem.FieldError> errors = new ArrayList<>();
        List<String> offered = environments.notificationTypes(w.environment());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < w.notificationTypes().size(); i++) {
            String t = w.notificationTypes().get(i);
            String field = "notificationTypes[" + i + "]";
            if (t.contains("*")) {
                errors.add(new Problem.FieldError(field, "wildcards are not allowed: list exact types"));
            } else if (!offered.contains(t)) {
                errors.add(new Problem.FieldError(field,
                        "not a notification type of this Environment's Configuration (see .../notification-types)"));
            } else if (!seen.add(t)) {
                errors.add(new Problem.FieldError(field, "listed twice"));
            }
        }
        if (w.notificationTypes().size() > config.maxNotificationTypes()) {
            errors.add(
                    new Problem.FieldError("notificationTypes", "at most " + config.maxNotificationTypes() + " types"));
        }
        if (new HashSet<>(w.secretIds()).size() != w.secretIds().size()) {
            errors.add(new Problem.FieldError("security.secretIds", "a secret is listed twice"));
        }
        if (TOKEN_EXCHANGE.equals(w.method()) && (w.tokenUrl() == null || w.tokenUrl().isBlank())) {
            errors.add(new Problem.FieldError("security.tokenUrl", "token-exchange needs the receiver's token URL"));
        }
        if (!TOKEN_EXCHANGE.equals(w.method()) && w.tokenUrl() != null) {
            errors.add(new Problem.FieldError("security.tokenUrl", "only token-exchange takes a token URL"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(422, "validation_failed", "Unprocessable request",
                    "The webhook is not valid; see errors", errors, null));
        }
        Uni<Void> checks = destinations.check("url", w.url());
        if (TOKEN_EXCHANGE.equals(w.method())) {
            // safe to connect to, and the receiver's own: the webhook's client secret is sent there
            checks = checks.chain(() -> destinations.check("security.tokenUrl", w.tokenUrl()))
                    .invoke(() -> destinations.checkTokenUrl(w.url(), w.tokenUrl()));
        }
        return checks;
    }

    private Uni<Void> publishAndAudit(SqlConnection c, WebhookRow w, String action, String actor) {
        return publishAndAudit(c, w, action, actor, null);
    }

    private Uni<Void> publishAndAudit(SqlConnection c, WebhookRow w, String action, String actor, String detail) {
        String payload;
        try {
            payload = json.writeValueAsString(WebhookStates.of(w));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("cannot serialise a webhook record", e));
        }
        return repository.outbox(c, kafka.webhooksTopic(), w.id(), payload)
                .chain(() -> repository.audit(c, w.environment(), actor, action, w.id(), "success", detail));
    }

    /** Runs {@code work}; a refusal or error is audited by the common writer, then passed on. */
    private <T> Uni<T> audited(String env, String action, String target, Uni<T> work) {
        return auditedAs(caller.subject(), env, action, target, work);
    }

    private <T> Uni<T> auditedAs(String actor, String env, String action, String target, Uni<T> work) {
        return work.onFailure().call(e -> {
            String result = e instanceof ProblemException p ? "refused:" + p.code() : "error";
            return auditLog.writeNow(AuditEntry.now(env, actor, null, action, "webhook", target, result, null));
        });
    }

    private Uni<Void> releaseQuietly(String id) {
        return leases.release(id).onFailure()
                .invoke(e -> LOG.warnf("Could not release the leases of %s after a failed create: %s", id, e))
                .onFailure().recoverWithNull();
    }

    private void requireEnvironment(String env) {
        caller.requireEnvironment(env);
        if (environments.environment(env) == null) {
            throw Caller.environmentNotFound(env);
        }
    }

    private static WebhookRow found(WebhookRow w, String id) {
        if (w == null) {
            throw notFound(id);
        }
        return w;
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("webhook_not_found", "No webhook " + id + " in this Environment.");
    }
}
