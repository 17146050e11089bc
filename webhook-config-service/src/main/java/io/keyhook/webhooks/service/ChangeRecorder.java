package io.keyhook.webhooks.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.OutboxRows;
import io.keyhook.webhooks.messaging.WebhookStates;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * What a change of a webhook leaves beside its row, on the change's connection and inside its transaction: its
 * {@code keyhook.webhooks} record (the webhook as it now is, or a tombstone) and its audit entry, so the row, the
 * record and the entry commit together or not at all.
 */
@ApplicationScoped
public class ChangeRecorder {

    static final String SUCCESS = "success";

    private final WebhookRepository repository;
    private final KafkaSettings kafka;
    private final ObjectMapper json;

    @Inject
    ChangeRecorder(WebhookRepository repository, KafkaSettings kafka, ObjectMapper json) {
        this.repository = repository;
        this.kafka = kafka;
        this.json = json;
    }

    /** The webhook {@code w} as changed by {@code action}: published and audited. */
    public Uni<Void> changed(SqlClient c, WebhookRow w, String action, String actor, String detail) {
        return Uni.createFrom().item(() -> OutboxRows.toJson(WebhookStates.of(w), json))
                .chain(payload -> repository.outbox(c, kafka.webhooksTopic(), w.id(), payload))
                .chain(() -> audited(c, w.environment(), actor, action, w.id(), detail));
    }

    /** The webhook is gone: its tombstone and the audit entry. */
    public Uni<Void> deleted(SqlClient c, String environment, String id, String actor) {
        return repository.outbox(c, kafka.webhooksTopic(), id, null)
                .chain(() -> audited(c, environment, actor, "webhook.delete", id, null));
    }

    /** A successful action that changed nothing (e.g. pausing a paused webhook): audited only. */
    public Uni<Void> audited(SqlClient c, String environment, String actor, String action, String id, String detail) {
        return repository.audit(c, environment, actor, action, id, SUCCESS, detail);
    }
}
