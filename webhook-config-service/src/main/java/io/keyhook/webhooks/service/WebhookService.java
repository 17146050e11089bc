package io.keyhook.webhooks.service;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.audit.AuditQuery;
import io.keyhook.common.audit.RefusalAudit;
import io.keyhook.common.audit.SqlAuditStore;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.security.Caller;
import io.keyhook.common.sql.SqlFailures;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.error.ProblemException;
import io.keyhook.webhooks.api.AuditPageResponse;
import io.keyhook.webhooks.api.SecurityBody;
import io.keyhook.webhooks.api.WebhookBody;
import io.keyhook.webhooks.api.WebhookLimitsResponse;
import io.keyhook.webhooks.api.WebhookPatchBody;
import io.keyhook.webhooks.api.WebhookResponse;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.keyhook.webhooks.view.EnvironmentView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Webhooks of an Environment. Each change is checked ({@link WebhookValidator}), the secrets are leased in
 * credentials-service ({@link LeaseCoordinator}), and the row, its {@code keyhook.webhooks} outbox record and the audit
 * entry commit together ({@link ChangeRecorder}). A failed change leaves nothing behind: the lease is put back as it
 * was, and the refusal is audited.
 */
@ApplicationScoped
public class WebhookService {

    /** The audit trail's target type of a webhook's actions. */
    static final String TARGET_TYPE = "webhook";

    private final Pool pool;
    private final WebhookRepository repository;
    private final EnvironmentView environments;
    private final WebhooksConfig config;
    private final Caller caller;
    private final LeaseCoordinator leases;
    private final ChangeRecorder recorder;
    private final RefusalAudit refusals;
    private final SqlAuditStore auditStore;
    private final OwnSigning ownSigning;

    @Inject
    WebhookService(Pool pool, WebhookRepository repository, EnvironmentView environments, WebhooksConfig config,
            Caller caller, LeaseCoordinator leases, ChangeRecorder recorder, RefusalAudit refusals,
            SqlAuditStore auditStore, OwnSigning ownSigning) {
        this.ownSigning = ownSigning;
        this.pool = pool;
        this.repository = repository;
        this.environments = environments;
        this.config = config;
        this.caller = caller;
        this.leases = leases;
        this.recorder = recorder;
        this.refusals = refusals;
        this.auditStore = auditStore;
    }

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
        // the operational webhook is not counted: the limit is on data webhooks
        return repository.list(pool, env).map(rows -> new WebhookLimitsResponse(config.maxPerEnvironment(),
                (int) rows.stream().filter(w -> !w.operational()).count(), config.maxNotificationTypes()));
    }

    public Uni<WebhookResponse> get(String env, String id) {
        requireEnvironment(env);
        return repository.find(pool, env, id, false)
                .map(w -> WebhookResponse.of(found(w, id), environments.notificationTypes(env)));
    }

    /** The Environment's audit trail, newest first (common audit read and paging rule). */
    public Uni<AuditPageResponse> audit(String env, Long before, int limit) {
        requireEnvironment(env);
        return auditStore.page(AuditQuery.of(env, before, limit)).map(AuditPageResponse::of);
    }

    public Uni<WebhookResponse> create(String env, WebhookBody body) {
        requireEnvironment(env);
        String actor = caller.subject();
        String id = SecretGenerator.newId("wh_");
        Instant now = Instant.now();
        SecurityBody s = body.security();
        String purpose = WebhookPurposes.requested(body.purpose());
        Uni<OwnSigning.NewKey> ownKey = Uni.createFrom().item(() -> {
            WebhookPurposes.types(purpose, body.notificationTypes());
            return OwnSigning.kindOf(s);
        }).chain(kind -> kind == null ? Uni.createFrom().nullItem() : ownSigning.generate(env, kind));
        Uni<Created> created = ownKey.chain(key -> {
            WebhookRow row = new WebhookRow(id, env, body.url(), s.method(), secretIdsOf(s), s.tokenUrl(),
                    WebhookPurposes.types(purpose, body.notificationTypes()), Boolean.TRUE.equals(body.paused()), 1,
                    now, now, s.signatureScheme(), key == null ? null : List.of(key.key()), TuningFields.of(body))
                            .withPurpose(purpose);
            return leases.leasedForCreate(row,
                    () -> pool.withTransaction(c -> repository.countLocked(c, env).chain(count -> {
                        if (row.operational()) {
                            // under the Environment's lock; the partial unique index answers for any other path
                            return repository.insert(c, row).onFailure(e -> "23505".equals(SqlFailures.sqlState(e)))
                                    .transform(e -> WebhookPurposes.operationalExists(env))
                                    .chain(() -> recorder.changed(c, row, "webhook.create", actor, null));
                        }
                        if (count >= config.maxPerEnvironment()) {
                            throw new ProblemException(409, "webhook_limit_reached", "Conflict",
                                    "Environment " + env + " already has " + count + " webhook(s), the most allowed ("
                                            + "keyhook.webhooks.max-per-environment = " + config.maxPerEnvironment()
                                            + "); change or delete one instead");
                        }
                        return repository.insert(c, row)
                                .chain(() -> recorder.changed(c, row, "webhook.create", actor, null));
                    }))).replaceWith(new Created(row, key));
        });
        return refusals.refusalsOf(env, actor, "webhook.create", TARGET_TYPE, id, created)
                .map(c -> shown(WebhookResponse.of(c.row(), environments.notificationTypes(env)), c.key()));
    }

    public Uni<WebhookResponse> replace(String env, String id, WebhookBody body) {
        return changeSecurity(env, id, body.security(), (old, key) -> {
            SecurityBody s = body.security();
            WebhookPurposes.unchanged(old, body.purpose());
            return new WebhookRow(id, env, body.url(), s.method(), secretIdsOf(s), s.tokenUrl(),
                    WebhookPurposes.types(old.purpose(), body.notificationTypes()),
                    body.paused() == null ? old.paused() : body.paused(), old.version() + 1, old.createdAt(),
                    Instant.now(), s.signatureScheme(), keysAfter(old, s, key), TuningFields.of(body))
                            .keepingStateOf(old);
        });
    }

    public Uni<WebhookResponse> patch(String env, String id, WebhookPatchBody body) {
        return changeSecurity(env, id, body.security(), (old, key) -> {
            SecurityBody s = body.security();
            WebhookPurposes.unchanged(old, body.purpose());
            if (body.notificationTypes() != null) {
                WebhookPurposes.types(old.purpose(), body.notificationTypes());
            }
            return new WebhookRow(id, env, body.url() == null ? old.url() : body.url(),
                    s == null ? old.method() : s.method(), s == null ? old.secretIds() : secretIdsOf(s),
                    s == null ? old.tokenUrl() : s.tokenUrl(),
                    body.notificationTypes() == null ? old.notificationTypes() : body.notificationTypes(),
                    body.paused() == null ? old.paused() : body.paused(), old.version() + 1, old.createdAt(),
                    Instant.now(), s == null ? old.signatureScheme() : s.signatureScheme(),
                    s == null ? old.signingKeys() : keysAfter(old, s, key), TuningFields.patched(old.tuning(), body))
                            .keepingStateOf(old);
        });
    }

    /** Pause or resume; idempotent (an unchanged state is not published again), always audited. */
    public Uni<WebhookResponse> setPaused(String env, String id, boolean paused) {
        requireEnvironment(env);
        String actor = caller.subject();
        String action = paused ? "webhook.pause" : "webhook.resume";
        Uni<WebhookRow> done = pool.withTransaction(c -> repository.find(c, env, id, true).chain(old -> {
            WebhookRow w = found(old, id);
            if (w.paused() == paused) {
                return recorder.audited(c, env, actor, action, id, "unchanged").replaceWith(w);
            }
            WebhookRow changed = w.withPaused(paused, Instant.now());
            return repository.update(c, changed).chain(() -> recorder.changed(c, changed, action, actor, null))
                    .replaceWith(changed);
        }));
        return refusals.refusalsOf(env, actor, action, TARGET_TYPE, id, done)
                .map(w -> WebhookResponse.of(w, environments.notificationTypes(env)));
    }

    /** Deletes under the webhook's row lock; the leases are released as {@link LeaseCoordinator} says. */
    public Uni<Void> delete(String env, String id) {
        requireEnvironment(env);
        String actor = caller.subject();
        Uni<Void> deleted = pool.withTransaction(
                c -> repository.find(c, env, id, true).chain(current -> leases.releasedForDelete(found(current, id),
                        () -> repository.delete(c, id).chain(() -> recorder.deleted(c, env, id, actor)))));
        return refusals.refusalsOf(env, actor, "webhook.delete", TARGET_TYPE, id, deleted);
    }

    /**
     * A PUT or PATCH: when {@code s} asks for signing material of the webhook's own, a key of that kind is made first
     * (outside the transaction; it is used only if the webhook does not already have keys of that kind, see
     * {@link #keysAfter}), then the change runs under the row lock.
     */
    private Uni<WebhookResponse> changeSecurity(String env, String id, SecurityBody s,
            BiFunction<WebhookRow, OwnSigning.NewKey, WebhookRow> next) {
        requireEnvironment(env);
        String actor = caller.subject();
        Uni<OwnSigning.NewKey> ownKey = Uni.createFrom().item(() -> s == null ? null : OwnSigning.kindOf(s))
                .chain(kind -> kind == null ? Uni.createFrom().nullItem() : ownSigning.generate(env, kind));
        Uni<OwnSigning.NewKey> checked = refusals.refusalsOf(env, actor, "webhook.update", TARGET_TYPE, id, ownKey);
        return checked.chain(key -> leases.changeAs(actor, env, id, "webhook.update", old -> next.apply(old, key))
                .map(w -> shown(WebhookResponse.of(w, environments.notificationTypes(env)), key)));
    }

    /**
     * The webhook's own keys after a change of its security to {@code s}: none for client secrets; the keys it has when
     * it already signs with material of the kind {@code s} asks for (sending the same security again changes nothing;
     * new keys come from {@code POST .../signing-keys}); otherwise the one key just made (a switch).
     */
    static List<WebhookState.SigningKey> keysAfter(WebhookRow old, SecurityBody s, OwnSigning.NewKey key) {
        if (key == null) {
            return null;
        }
        if (old.ownSigning() && old.signingKeys().stream().allMatch(k -> k.kind().equals(key.key().kind()))) {
            return old.signingKeys();
        }
        return List.of(key.key());
    }

    /** The answer, with the value of a secret made by this request if the webhook kept it. */
    private static WebhookResponse shown(WebhookResponse r, OwnSigning.NewKey key) {
        return key == null ? r : r.withSecretShownOnce(key.key().id(), key.secret());
    }

    private static List<String> secretIdsOf(SecurityBody s) {
        return s.secretIds() == null ? List.of() : s.secretIds();
    }

    /** A webhook just created, with the key made for it (null when it signs with client secrets). */
    private record Created(WebhookRow row, OwnSigning.NewKey key) {
    }

    private void requireEnvironment(String env) {
        caller.requireEnvironment(env);
        if (environments.environment(env) == null) {
            throw Caller.environmentNotFound(env);
        }
    }

    /** {@code w}, or 404 {@code webhook_not_found} when there is no such webhook in the Environment. */
    static WebhookRow found(WebhookRow w, String id) {
        if (w == null) {
            throw ProblemException.notFound("webhook_not_found", "No webhook " + id + " in this Environment.");
        }
        return w;
    }
}
