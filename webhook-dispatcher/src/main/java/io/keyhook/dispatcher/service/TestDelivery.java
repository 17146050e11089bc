package io.keyhook.dispatcher.service;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.AuditLog;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.text.SafeText;
import io.keyhook.dispatcher.client.ReceiverHttp;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.view.WebhookView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * {@code POST .../webhooks/{id}/test} (issue 31): one {@code keyhook.test} CloudEvent to the webhook now, signed with
 * its security method as a delivery is (its own headers and timeout included), whatever it opted into and even while
 * paused — an admin asked for it. One attempt, no retry, nothing stored; audited ({@code webhook.test}). At most
 * {@code keyhook.dispatcher.test-delivery.per-minute} per webhook and instance (429 {@code test_rate_limited}), so it
 * cannot flood a receiver.
 */
@ApplicationScoped
public class TestDelivery {

    /** The test event's type (no Configuration offers it; receivers should answer 2xx to any type). */
    public static final String TYPE = "keyhook.test";

    /**
     * What the receiver answered: {@code delivered} is a 2xx; {@code response} its answer's first bytes, sanitised;
     * {@code error} why nothing was answered.
     */
    @Schema(name = "TestDeliveryResult")
    public record Result(String messageId, String eventId, boolean delivered, Integer statusCode, int latencyMs,
            String error, String response) {
    }

    private final WebhookView webhooks;
    private final ReceiverAuthentication authentication;
    private final ReceiverHttp http;
    private final WebhookTuning tuning;
    private final DispatcherConfig config;
    private final AuditLog audit;
    private final ObjectMapper json;
    /** Start times (System.nanoTime) of each webhook's tests in the last minute. */
    private final Map<String, Deque<Long>> recent = new ConcurrentHashMap<>();

    TestDelivery(WebhookView webhooks, ReceiverAuthentication authentication, ReceiverHttp http, WebhookTuning tuning,
            DispatcherConfig config, AuditLog audit, ObjectMapper json) {
        this.webhooks = webhooks;
        this.authentication = authentication;
        this.http = http;
        this.tuning = tuning;
        this.config = config;
        this.audit = audit;
        this.json = json;
    }

    /** Sends the test to webhook {@code webhookId} of {@code environment} for {@code actor}. */
    public Uni<Result> send(String environment, String webhookId, String actor) {
        WebhookState w = webhooks.webhook(webhookId);
        if (w == null || !environment.equals(w.environment())) {
            return Uni.createFrom().failure(ProblemException.notFound("webhook_not_found",
                    "No webhook " + webhookId + " in this Environment."));
        }
        if (!admitted(webhookId)) {
            audit.record(AuditEntry.now(environment, actor, null, "webhook.test", "webhook", webhookId, "refused",
                    "test_rate_limited"));
            return Uni.createFrom()
                    .failure(new ProblemException(429, "test_rate_limited", "Too many requests",
                            "At most " + config.testDelivery().perMinute()
                                    + " test deliveries per webhook per minute; try" + " again in a minute"));
        }
        Instant now = Instant.now();
        String eventId = "evt_test_" + SecretGenerator.newId("");
        String msgId = "msg_test_" + SecretGenerator.newId("");
        String body = body(w, eventId, now);
        DeliveryRow d = new DeliveryRow(msgId, 0, webhookId, environment, eventId, msgId, TYPE, null, body,
                DeliveryRow.PENDING, 0, null, now, null);
        long t0 = System.nanoTime();
        long seconds = now.getEpochSecond();
        int max = config.delivery().maxResponseBytes();
        return authentication.headers(w, d, seconds).chain(h -> {
            Map<String, String> all = new LinkedHashMap<>(WebhookTuning.headers(w));
            all.put("content-type", "application/json");
            all.put("webhook-id", msgId);
            all.put("webhook-timestamp", String.valueOf(seconds));
            all.putAll(h);
            return http.post(w.url(), all, Buffer.buffer(body), max, false, t0, tuning.timeout(w));
        }).map(a -> new Result(msgId, eventId, a.status() / 100 == 2, a.status(), millisSince(t0), null,
                a.length() == 0 ? null : SafeText.decode(a.body(), a.length(), max))).onFailure()
                .recoverWithItem(
                        e -> new Result(msgId, eventId, false, null, millisSince(t0), AttemptOutcomes.errorOf(e), null))
                .invoke(r -> audit.record(AuditEntry.now(environment, actor, null, "webhook.test", "webhook", webhookId,
                        r.delivered() ? "success" : "failure",
                        "message " + msgId + ": " + (r.statusCode() != null ? "HTTP " + r.statusCode() : r.error()))));
    }

    /** Whether the webhook may get another test now (a sliding minute). */
    private boolean admitted(String webhookId) {
        long now = System.nanoTime();
        long minute = 60_000_000_000L;
        Deque<Long> times = recent.computeIfAbsent(webhookId, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() >= minute) {
                times.pollFirst();
            }
            if (times.size() >= config.testDelivery().perMinute()) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }

    /**
     * A CloudEvents 1.0 structured event that is also a delivery's thin body ({@code type}, {@code timestamp},
     * {@code eventId}, {@code data}), so a receiver parses it as it parses deliveries; {@code data.test} is true.
     */
    private String body(WebhookState w, String eventId, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("test", true);
        data.put("environment", w.environment());
        data.put("webhookId", w.id());
        data.put("message", "A test event sent at an admin's request; it carries no data.");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("specversion", "1.0");
        body.put("id", eventId);
        body.put("source", "/keyhook/webhook-dispatcher");
        body.put("type", TYPE);
        body.put("subject", w.id());
        body.put("time", now.toString());
        body.put("datacontenttype", "application/json");
        body.put("timestamp", now.toString());
        body.put("eventId", eventId);
        body.put("data", data);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a test body", e);
        }
    }

    private static int millisSince(long t0) {
        return (int) ((System.nanoTime() - t0) / 1_000_000);
    }
}
