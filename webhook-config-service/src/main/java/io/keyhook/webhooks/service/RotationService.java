package io.keyhook.webhooks.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.security.Caller;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.error.ProblemException;
import io.keyhook.webhooks.client.Secrets;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.keyhook.webhooks.persistence.RotationRepository;
import io.keyhook.webhooks.persistence.RotationRow;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Guided rotation of a client secret — SPEC.md section 7 as one flow. Start: a new secret (created with the admin's
 * token, shown once), added to every webhook that signs with the old one (both sign during the overlap). Finish (the
 * admin confirms, or {@code finishAfter} passes): the old secret leaves those webhooks, then it is invalidated —
 * credentials-service still refuses while anything else holds it, and the rotation then stays {@code finishing}, with
 * the reason, and is retried. Every step is recorded before the next, audited, and resumed by the background job.
 * Webhooks' secrets change through the {@link LeaseCoordinator}, exactly as an admin's change does.
 * <p>
 * Verified (issue 30): an overlapping rotation finishes — by the admin or on its own — only once {@link RotationChecks}
 * proves the receiver and the app moved to the new secret; the outcome is kept on the rotation ({@code checks}) and a
 * refused finish is a 409 {@code rotation_not_verified} naming what failed. An admin may finish without the proof only
 * with a reason, which is recorded and audited ({@code rotation.override}).
 */
@ApplicationScoped
public class RotationService {

    private static final Logger LOG = Logger.getLogger(RotationService.class);
    static final String SCHEDULER = "keyhook-rotation-job";

    private final Pool pool;
    private final RotationRepository rotations;
    private final WebhookRepository webhookRows;
    private final LeaseCoordinator leases;
    private final Secrets secrets;
    private final Caller caller;
    private final EnvironmentView environments;
    private final RotationChecks checks;
    private final ObjectMapper json;
    private final Duration recheckEvery;

    @Inject
    RotationService(Pool pool, RotationRepository rotations, WebhookRepository webhookRows, LeaseCoordinator leases,
            Secrets secrets, Caller caller, EnvironmentView environments, RotationChecks checks, ObjectMapper json,
            WebhooksConfig config) {
        this.checks = checks;
        this.json = json;
        // the job pings a receiver whose check failed no more often than every other round
        this.recheckEvery = config.rotationCheckInterval().multipliedBy(2);
        this.pool = pool;
        this.rotations = rotations;
        this.webhookRows = webhookRows;
        this.leases = leases;
        this.secrets = secrets;
        this.caller = caller;
        this.environments = environments;
    }

    /** A started rotation and its new secret (the only time its value is shown). */
    public record Started(RotationRow rotation, Secrets.Created secret) {
    }

    public Uni<Started> start(String env, String clientId, String oldSecretId, Duration finishAfter,
            String adminBearer) {
        requireEnvironment(env);
        String actor = caller.subject();
        Instant now = Instant.now();
        RotationRow r = new RotationRow(SecretGenerator.newId("rot_"), env, clientId, oldSecretId, null,
                RotationRow.STARTING, List.of(), finishAfter == null ? null : now.plus(finishAfter), actor, null, now,
                now, null, null);
        return secrets.isActiveSecretOf(adminBearer, env, clientId, oldSecretId).chain(active -> {
            if (!active) {
                return Uni.createFrom()
                        .failure(new ProblemException(422, "secret_not_rotatable", "Unprocessable request",
                                "Secret '" + oldSecretId + "' is not an active secret of client '" + clientId + "'"));
            }
            return webhookRows.list(pool, env);
        }).chain(rows -> {
            List<String> using = rows.stream().filter(w -> w.secretIds().contains(oldSecretId)).map(WebhookRow::id)
                    .toList();
            List<String> full = rows.stream()
                    .filter(w -> w.secretIds().contains(oldSecretId) && w.secretIds().size() >= 3).map(WebhookRow::id)
                    .toList();
            if (!full.isEmpty()) {
                return Uni.createFrom()
                        .failure(ProblemException
                                .conflict("webhook_secret_limit",
                                        "Webhook(s) " + String.join(", ", full)
                                                + " already sign with 3 secrets; remove one first")
                                .with("webhookIds", full));
            }
            return pool.withTransaction(c -> rotations.insert(c, r).chain(inserted -> {
                if (!inserted) {
                    return Uni.createFrom().failure(ProblemException.conflict("rotation_in_progress",
                            "Secret '" + oldSecretId + "' is already being rotated; finish that rotation first"));
                }
                return audit(c, r, actor, "rotation.start", "success", "client " + clientId);
            })).chain(() -> secrets.create(adminBearer, env, clientId)).onFailure(ProblemException.class)
                    .call(e -> abandon(r, actor, "the new secret could not be created: " + e.getMessage()))
                    .chain(created -> addEverywhere(actor, r, created.id(), using)
                            .chain(ids -> save(r.with(RotationRow.OVERLAPPING, created.id(), ids, null), actor,
                                    "rotation.overlap", "new secret " + created.id() + " added to " + ids))
                            .map(saved -> new Started(saved, created)));
        });
    }

    public Uni<RotationRow> get(String env, String id) {
        requireEnvironment(env);
        return rotations.find(pool, env, id).map(r -> found(r, id));
    }

    public Uni<List<RotationRow>> list(String env) {
        requireEnvironment(env);
        return rotations.list(pool, env, 100);
    }

    /**
     * The admin confirms: once verified (or with {@code overrideReason}, recorded and audited), the old secret leaves
     * the webhooks and is invalidated (409 with the reason if refused). Not verified: 409 {@code rotation_not_verified}
     * with the checks, and the rotation stays overlapping.
     */
    public Uni<RotationRow> finish(String env, String id, String overrideReason) {
        requireEnvironment(env);
        String actor = caller.subject();
        return rotations.find(pool, env, id).map(r -> found(r, id)).chain(r -> {
            if (RotationRow.DONE.equals(r.state())) {
                return Uni.createFrom().item(r);
            }
            if (!RotationRow.OVERLAPPING.equals(r.state()) && !RotationRow.FINISHING.equals(r.state())) {
                return Uni.createFrom().failure(ProblemException.conflict("rotation_not_finishable",
                        "Rotation '" + id + "' is " + r.state() + "; start a new one"));
            }
            if (RotationRow.FINISHING.equals(r.state())) {
                // verified (or overridden) already; only the invalidation is left
                return finishAs(actor, r);
            }
            if (overrideReason != null) {
                // answered as stored: the override is recorded on the row, not on the copy in hand
                return override(actor, r, overrideReason).chain(() -> finishAs(actor, r))
                        .chain(done -> rotations.find(pool, env, id).map(row -> row == null ? done : row));
            }
            return verify(r).chain(v -> {
                if (v.passed()) {
                    return finishAs(actor, r)
                            .chain(done -> rotations.find(pool, env, id).map(row -> row == null ? done : row));
                }
                return pool
                        .withTransaction(
                                c -> audit(c, r, actor, "rotation.finish", "refused", "not verified: " + v.summary()))
                        .chain(() -> Uni.createFrom()
                                .failure(ProblemException
                                        .conflict("rotation_not_verified",
                                                "Not verified yet: " + v.summary()
                                                        + ". Finish once both checks pass, or override with a reason.")
                                        .with("checks", v)));
            });
        });
    }

    /** Runs the checks now and records them on the rotation (the wizard's "check again"); finishes nothing. */
    public Uni<RotationRow> check(String env, String id) {
        requireEnvironment(env);
        return rotations.find(pool, env, id).map(r -> found(r, id)).chain(r -> {
            if (!RotationRow.OVERLAPPING.equals(r.state())) {
                return Uni.createFrom().failure(ProblemException.conflict("rotation_not_checkable",
                        "Rotation '" + id + "' is " + r.state() + "; only an overlapping rotation is checked"));
            }
            return verify(r).chain(v -> rotations.find(pool, env, id));
        });
    }

    /** The last checks recorded on {@code r}, or null. */
    public RotationVerification verification(RotationRow r) {
        if (r.checks() == null) {
            return null;
        }
        try {
            return json.readValue(r.checks(), RotationVerification.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Rotation %s has unreadable checks: %s", r.id(), e.getOriginalMessage());
            return null;
        }
    }

    private Uni<RotationVerification> verify(RotationRow r) {
        return checks.run(r)
                .call(v -> pool.withTransaction(c -> rotations.saveChecks(c, r.id(), write(v), Instant.now())));
    }

    private Uni<Void> override(String actor, RotationRow r, String reason) {
        RotationVerification.Override o = new RotationVerification.Override(actor, reason, Instant.now());
        RotationVerification last = verification(r);
        RotationVerification recorded = last == null ? new RotationVerification(false, null, null, null, o)
                : last.overridden(o);
        return pool.withTransaction(c -> rotations.saveChecks(c, r.id(), write(recorded), o.at()).chain(
                () -> audit(c, r, actor, "rotation.override", "success", "finished without verification: " + reason)));
    }

    private String write(RotationVerification v) {
        try {
            return json.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a rotation's checks", e);
        }
    }

    /** Moves open rotations on: due ones finish, refused ones are retried, interrupted starts are abandoned. */
    @Scheduled(every = "${keyhook.webhooks.rotation-check-interval:15s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> resume() {
        // once across replicas: two jobs finishing the same rotation would only repeat idempotent steps, but one is
        // enough (and keeps the audit trail to one entry per step)
        return rotations.exclusively(pool, RESUME_LOCK, this::resumeOpen).replaceWithVoid().onFailure()
                .invoke(e -> LOG.warnf("Rotation job failed: %s", e.toString())).onFailure().recoverWithNull();
    }

    private Uni<Void> resumeOpen() {
        Instant now = Instant.now();
        return rotations.toResume(pool, now, now.minus(Duration.ofMinutes(2))).onItem()
                .transformToMulti(list -> Multi.createFrom().iterable(list)).onItem()
                .transformToUniAndConcatenate(r -> (RotationRow.STARTING.equals(r.state())
                        ? abandon(r, SCHEDULER,
                                "interrupted before the new secret was recorded; the client's secret"
                                        + " list shows any secret it created")
                        : RotationRow.OVERLAPPING.equals(r.state()) ? finishIfVerified(r, now)
                                : finishAs(SCHEDULER, r).replaceWithVoid())
                                        .onFailure()
                                        .invoke(e -> LOG.infof("Rotation %s not finished yet: %s", r.id(),
                                                e.getMessage()))
                                        .onFailure().recoverWithNull())
                .collect().asList().replaceWithVoid().onFailure()
                .invoke(e -> LOG.warnf("Rotation job failed: %s", e.toString())).onFailure().recoverWithNull();
    }

    /** A due rotation finishes on its own only once verified; a failed check is retried every other round. */
    private Uni<Void> finishIfVerified(RotationRow r, Instant now) {
        if (r.checkedAt() != null && r.checkedAt().isAfter(now.minus(recheckEvery))) {
            return Uni.createFrom().voidItem();
        }
        return verify(r)
                .chain(v -> v.passed() ? finishAs(SCHEDULER, r).replaceWithVoid() : Uni.createFrom().voidItem());
    }

    private Uni<RotationRow> finishAs(String actor, RotationRow r) {
        RotationRow finishing = r.with(RotationRow.FINISHING, r.newSecretId(), r.webhookIds(), r.lastError());
        Uni<RotationRow> marked = RotationRow.FINISHING.equals(r.state()) ? Uni.createFrom().item(r)
                : save(finishing, actor, "rotation.finish", "confirmed");
        return marked.chain(f -> webhookRows.list(pool, r.environment()).chain(rows -> {
            List<String> using = rows.stream().filter(w -> w.secretIds().contains(r.oldSecretId())).map(WebhookRow::id)
                    .toList();
            // the old secret leaves every webhook that still signs with it (the new one takes its place)
            return Multi
                    .createFrom().iterable(using).onItem().transformToUniAndConcatenate(w -> leases.setSecretsAs(actor,
                            r.environment(), w, ids -> withoutOld(ids, r.oldSecretId(), r.newSecretId())))
                    .collect().asList();
        }).chain(() -> secrets.invalidate(r.environment(), r.clientId(), r.oldSecretId())).onFailure()
                .call(e -> save(f.with(RotationRow.FINISHING, f.newSecretId(), f.webhookIds(), e.getMessage()), actor,
                        "rotation.finish", "refused: " + e.getMessage()).onFailure().recoverWithNull())
                .chain(() -> save(f.with(RotationRow.DONE, f.newSecretId(), f.webhookIds(), null), actor,
                        "rotation.done", "old secret " + r.oldSecretId() + " invalidated")));
    }

    /** The advisory lock id of the rotation job (fixed, this service's own). */
    static final long RESUME_LOCK = 0x6b68_726f_7461_7465L;

    static List<String> withoutOld(List<String> ids, String oldId, String newId) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            if (id.equals(oldId)) {
                if (newId != null && !ids.contains(newId)) {
                    out.add(newId);
                }
            } else {
                out.add(id);
            }
        }
        return out;
    }

    private Uni<List<String>> addEverywhere(String actor, RotationRow r, String newId, List<String> webhookIds) {
        return Multi.createFrom().iterable(webhookIds).onItem()
                .transformToUniAndConcatenate(w -> leases.setSecretsAs(actor, r.environment(), w, ids -> {
                    List<String> out = new ArrayList<>(ids);
                    if (!out.contains(newId)) {
                        out.add(newId);
                    }
                    return out;
                }).replaceWith(w)).collect().asList();
    }

    private Uni<Void> abandon(RotationRow r, String actor, String why) {
        return save(r.with(RotationRow.ABANDONED, r.newSecretId(), r.webhookIds(), why), actor, "rotation.abandon", why)
                .replaceWithVoid().onFailure().recoverWithNull();
    }

    private Uni<RotationRow> save(RotationRow r, String actor, String action, String detail) {
        return pool.withTransaction(c -> rotations.update(c, r)
                .chain(changed -> !changed ? rotations.find(c, r.environment(), r.id()) : audit(c, r, actor, action,
                        RotationRow.FINISHING.equals(r.state()) && r.lastError() != null ? "refused" : "success",
                        detail).replaceWith(r)));
    }

    private Uni<Void> audit(SqlClient c, RotationRow r, String actor, String action, String result, String detail) {
        String d = detail == null ? null : detail.length() > 500 ? detail.substring(0, 500) : detail;
        return webhookRows.audit(c, r.environment(), actor, action, r.id(), result, d);
    }

    private void requireEnvironment(String env) {
        caller.requireEnvironment(env);
        if (environments.environment(env) == null) {
            throw Caller.environmentNotFound(env);
        }
    }

    private static RotationRow found(RotationRow r, String id) {
        if (r == null) {
            throw ProblemException.notFound("rotation_not_found", "No rotation " + id + " in this Environment.");
        }
        return r;
    }
}
