package io.keyhook.webhooks.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.audit.AuditPage;
import io.keyhook.common.audit.RefusalAudit;
import io.keyhook.common.security.Caller;
import io.keyhook.webhooks.api.ActivityPageResponse;
import io.keyhook.webhooks.api.NotificationSettingsBody;
import io.keyhook.webhooks.persistence.ActivityRepository;
import io.keyhook.webhooks.persistence.ActivityRow;
import io.keyhook.webhooks.persistence.NotificationSettingsRepository;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.view.EnvironmentView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** An Environment's notification addresses and its activity feed (issue 31). */
@ApplicationScoped
public class NotificationService {

    static final String ACTION = "notification-settings.update";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Pool pool;
    private final NotificationSettingsRepository settings;
    private final ActivityRepository activity;
    private final WebhookRepository audit;
    private final RefusalAudit refusals;
    private final EnvironmentView environments;
    private final Caller caller;
    private final ObjectMapper json;

    @Inject
    NotificationService(Pool pool, NotificationSettingsRepository settings, ActivityRepository activity,
            WebhookRepository audit, RefusalAudit refusals, EnvironmentView environments, Caller caller,
            ObjectMapper json) {
        this.pool = pool;
        this.settings = settings;
        this.activity = activity;
        this.audit = audit;
        this.refusals = refusals;
        this.environments = environments;
        this.caller = caller;
        this.json = json;
    }

    public Uni<NotificationSettingsBody> settings(String env) {
        requireEnvironment(env);
        return pool.withConnection(c -> settings.emails(c, env)).map(NotificationSettingsBody::new);
    }

    /** Replaces the addresses (checked strictly, {@link NotificationAddresses}); audited, refusals too. */
    public Uni<NotificationSettingsBody> put(String env, NotificationSettingsBody body) {
        requireEnvironment(env);
        String actor = caller.subject();
        Uni<List<String>> done = Uni.createFrom().item(() -> NotificationAddresses.checked(body.emails()))
                .chain(emails -> pool.withTransaction(c -> settings.put(c, env, emails, Instant.now())
                        .chain(() -> audit.audit(c, env, actor, ACTION, env, "success", emails.size() + " address(es)"))
                        .replaceWith(emails)));
        return refusals.refusalsOf(env, actor, ACTION, "notification-settings", env, done)
                .map(NotificationSettingsBody::new);
    }

    /** A page of the feed, newest first, read with {@code limit + 1} rows (the common paging rule). */
    public Uni<ActivityPageResponse> activity(String env, String type, Long before, int limit) {
        requireEnvironment(env);
        return pool.withConnection(c -> activity.page(c, env, type, before, limit + 1)).map(rows -> {
            AuditPage<ActivityRow> page = AuditPage.of(rows, limit, ActivityRow::seq);
            return new ActivityPageResponse(page.items().stream().map(this::item).toList(), page.nextCursor());
        });
    }

    private ActivityPageResponse.ActivityItem item(ActivityRow r) {
        Map<String, Object> data;
        try {
            data = json.readValue(r.data(), MAP);
        } catch (JsonProcessingException e) {
            data = Map.of();
        }
        return new ActivityPageResponse.ActivityItem(r.eventId(), r.type(), r.time(), r.subject(), data,
                r.receivedAt());
    }

    private void requireEnvironment(String env) {
        caller.requireEnvironment(env);
        if (environments.environment(env) == null) {
            throw Caller.environmentNotFound(env);
        }
    }
}
