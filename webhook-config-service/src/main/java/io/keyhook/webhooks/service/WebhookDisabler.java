package io.keyhook.webhooks.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.audit.RefusalAudit;
import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.OperationalEventRows;
import io.keyhook.common.security.Caller;
import io.keyhook.core.error.ProblemException;
import io.keyhook.webhooks.api.WebhookResponse;
import io.keyhook.webhooks.persistence.ActivityRepository;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.keyhook.webhooks.view.EnvironmentView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The dispatcher pauses a webhook: its receiver answered 410 Gone ({@code gone}), or it kept failing for the
 * auto-disable period ({@code failing}, issue 31). The webhook is paused with that reason (its events are held, not
 * lost), the audit trail says why, and {@code keyhook.webhook.disabled} goes to {@code keyhook.operational-events}
 * through the outbox, all in one transaction. An admin resumes it; the reason is then cleared.
 */
@ApplicationScoped
public class WebhookDisabler {

    static final String SOURCE = "/keyhook/webhook-config-service";

    private final Pool pool;
    private final WebhookRepository repository;
    private final ChangeRecorder recorder;
    private final Caller caller;
    private final RefusalAudit refusals;
    private final EnvironmentView environments;
    private final KafkaSettings kafka;
    private final ObjectMapper json;
    private final ActivityRepository activity;

    @Inject
    WebhookDisabler(Pool pool, WebhookRepository repository, ChangeRecorder recorder, Caller caller,
            RefusalAudit refusals, EnvironmentView environments, KafkaSettings kafka, ObjectMapper json,
            ActivityRepository activity) {
        this.activity = activity;
        this.pool = pool;
        this.repository = repository;
        this.recorder = recorder;
        this.caller = caller;
        this.refusals = refusals;
        this.environments = environments;
        this.kafka = kafka;
        this.json = json;
    }

    /**
     * Pauses webhook {@code id} for {@code code} ({@code gone} when null). An operational webhook is never paused for
     * failing (409 {@code operational_webhook_not_disabled}): it is how admins hear of failures. Already paused:
     * audited only, no event. {@code failingSince} absent: that of the webhook's latest {@code keyhook.webhook.failing}
     * event in the activity feed, if any.
     */
    public Uni<WebhookResponse> disable(String id, String reason, String code, Instant failingSince) {
        String actor = caller.subject();
        String why = code == null ? WebhookRow.GONE : code;
        String detail = code == null ? reason : code + ": " + reason; // as before issue 31 when no code
        return pool.withConnection(c -> repository.findAnyLocked(c, id)).chain(seen -> {
            WebhookRow w = WebhookService.found(seen, id);
            Uni<WebhookRow> done = pool.withTransaction(c -> repository.findAnyLocked(c, id).chain(old -> {
                WebhookRow current = WebhookService.found(old, id);
                if (current.operational() && WebhookRow.FAILING.equals(why)) {
                    throw ProblemException.conflict("operational_webhook_not_disabled",
                            "The operational webhook is never disabled for failing: it is how the Environment's admins"
                                    + " hear of failures");
                }
                if (current.paused()) {
                    return recorder.audited(c, current.environment(), actor, "webhook.disable", id,
                            "already paused (" + current.pausedReason() + "); " + detail).replaceWith(current);
                }
                WebhookRow changed = current.withPaused(true, why, Instant.now());
                return repository.update(c, changed)
                        .chain(() -> recorder.changed(c, changed, "webhook.disable", actor, detail))
                        .chain(() -> failingSince != null || !WebhookRow.FAILING.equals(why)
                                ? Uni.createFrom().<Object> item(failingSince)
                                : activity.lastFailingSince(c, changed.environment(), id).map(s -> (Object) s))
                        .chain(since -> emitted(c, changed, since)).replaceWith(changed);
            }));
            return refusals.refusalsOf(w.environment(), actor, "webhook.disable", WebhookService.TARGET_TYPE, id, done);
        }).map(w -> WebhookResponse.of(w, environments.notificationTypes(w.environment())));
    }

    /** {@code keyhook.webhook.disabled}, its id fixed by the webhook's version so a repeat is recognisable. */
    private Uni<Void> emitted(SqlClient c, WebhookRow w, Object failingSince) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("webhookId", w.id());
        data.put("url", w.url());
        data.put("reason", w.pausedReason());
        data.put("failingSince", failingSince);
        data.put("disabledAt", w.pausedAt());
        OperationalEvent event = new OperationalEvent("opev_disabled_" + w.id() + "_" + w.version(), SOURCE,
                OperationalEvent.WEBHOOK_DISABLED, w.pausedAt(), w.id(), w.environment(), data);
        return OperationalEventRows.append(c, "webhooks", kafka, event, json);
    }
}
