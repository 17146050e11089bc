package io.keyhook.dispatcher.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.OutboxRows;
import io.keyhook.core.text.SafeText;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.OperationalOutbox;

/**
 * The operational events the dispatcher emits (issue 31), with exactly the {@code data} fields of
 * docs/operational-events.md, as outbox rows. Each id is derived from the fact it reports (the delivery and its attempt
 * count, the webhook and its episode's start), so emitting the same fact again gives the same id and consumers drop it.
 */
@ApplicationScoped
public class OperationalEvents {

    static final String SOURCE = "/keyhook/webhook-dispatcher";
    private static final int MAX_ERROR = 300;

    private final ObjectMapper json;
    private final KafkaSettings kafka;

    OperationalEvents(ObjectMapper json, KafkaSettings kafka) {
        this.json = json;
        this.kafka = kafka;
    }

    /** What a finished delivery was when it ended {@code failed} or {@code expired}. */
    public record Ended(DeliveryRow row, String status, int attempts, Integer lastStatus, String lastError,
            Instant finishedAt) {
    }

    /**
     * {@code keyhook.delivery.exhausted} for a delivery that ended without reaching its receiver; null for a delivery
     * to an operational webhook (its own failures must not feed it more events: they are reported as failing).
     */
    public OperationalOutbox.Row exhausted(Ended e, String ifDelivery) {
        DeliveryRow r = e.row();
        if (OperationalEvent.TYPES.contains(r.type())) {
            return null;
        }
        JsonNode data = bodyData(r.body());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("webhookId", r.webhookId());
        d.put("deliveryId", r.id());
        d.put("eventId", r.eventId());
        d.put("type", r.type());
        d.put("resource", text(data, "resource"));
        d.put("resourceId", text(data, "resourceId"));
        d.put("status", e.status());
        d.put("attempts", e.attempts());
        d.put("lastStatus", e.lastStatus());
        d.put("lastError", error(e.lastError()));
        d.put("createdAt", str(r.createdAt()));
        d.put("finishedAt", str(e.finishedAt()));
        Instant at = e.finishedAt() == null ? Instant.now() : e.finishedAt();
        return row(new OperationalEvent("opev_exhausted_" + r.id() + "_" + e.attempts(), SOURCE,
                OperationalEvent.DELIVERY_EXHAUSTED, at, r.webhookId(), r.environment(), d), ifDelivery);
    }

    /** What {@code keyhook.webhook.failing} reports. */
    public record Failing(String webhookId, String environment, String url, Instant failingSince,
            int consecutiveFailures, double failureRate, Duration window, Integer lastStatus, String lastError,
            Instant lastAttemptAt, Instant disableAt) {
    }

    public OperationalOutbox.Row failing(Failing f) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("webhookId", f.webhookId());
        d.put("url", f.url());
        d.put("failingSince", str(f.failingSince()));
        d.put("consecutiveFailures", f.consecutiveFailures());
        d.put("failureRate", Math.round(f.failureRate() * 1000) / 1000.0);
        d.put("window", f.window().toString());
        d.put("lastStatus", f.lastStatus());
        d.put("lastError", error(f.lastError()));
        d.put("lastAttemptAt", str(f.lastAttemptAt()));
        if (f.disableAt() != null) {
            d.put("disableAt", str(f.disableAt()));
        }
        return row(new OperationalEvent(episodeId("failing", f.webhookId(), f.failingSince()), SOURCE,
                OperationalEvent.WEBHOOK_FAILING, Instant.now(), f.webhookId(), f.environment(), d), null);
    }

    public OperationalOutbox.Row recovered(String webhookId, String environment, String url, Instant failingSince,
            Instant recoveredAt) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("webhookId", webhookId);
        d.put("url", url);
        d.put("failingSince", str(failingSince));
        d.put("recoveredAt", str(recoveredAt));
        return row(new OperationalEvent(episodeId("recovered", webhookId, failingSince), SOURCE,
                OperationalEvent.WEBHOOK_RECOVERED, recoveredAt, webhookId, environment, d), null);
    }

    public OperationalOutbox.Row heldExpiring(String webhookId, String environment, long heldCount,
            Instant oldestHeldAt, Instant expiresAt) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("webhookId", webhookId);
        d.put("heldCount", heldCount);
        d.put("oldestHeldAt", str(oldestHeldAt));
        d.put("expiresAt", str(expiresAt));
        return row(new OperationalEvent(episodeId("held_expiring", webhookId, oldestHeldAt), SOURCE,
                OperationalEvent.HELD_EXPIRING, Instant.now(), webhookId, environment, d), null);
    }

    private OperationalOutbox.Row row(OperationalEvent e, String ifDelivery) {
        return new OperationalOutbox.Row(kafka.operationalEventsTopic(), e.environment(), OutboxRows.toJson(e, json),
                Instant.now(), ifDelivery);
    }

    private static String episodeId(String what, String webhookId, Instant since) {
        return "opev_" + what + "_" + webhookId + "_" + (since == null ? 0 : since.toEpochMilli());
    }

    private JsonNode bodyData(String body) {
        try {
            JsonNode n = json.readTree(body);
            return n == null ? null : n.get("data");
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode data, String field) {
        JsonNode v = data == null ? null : data.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String error(String e) {
        return e == null ? null : SafeText.sanitize(e, MAX_ERROR);
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
