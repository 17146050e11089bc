package io.keyhook.dispatcher.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.SecurityMethods;
import io.keyhook.dispatcher.client.ReceiverHttp;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.view.WebhookView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * A {@code keyhook.ping} delivery signed with only some of a webhook's signing credentials — the proof a verified
 * rotation asks for before the old credential goes: the receiver answered 2xx to a message it could verify only with
 * the new one. One attempt, no retry, nothing stored (the caller records the outcome), never a data event.
 */
@ApplicationScoped
public class VerificationPing {

    /** The ping's notification type (no Configuration offers it; receivers should answer 2xx to any type). */
    public static final String TYPE = "keyhook.ping";

    /** What the receiver answered: {@code delivered} is a 2xx; {@code error} says why nothing was answered. */
    public record Result(String messageId, boolean delivered, Integer statusCode, String error, int latencyMs) {
    }

    private final WebhookView webhooks;
    private final ReceiverAuthentication authentication;
    private final ReceiverHttp http;
    private final ReceiverTokens receiverTokens;
    private final DispatcherConfig config;
    private final ObjectMapper json;

    VerificationPing(WebhookView webhooks, ReceiverAuthentication authentication, ReceiverHttp http,
            ReceiverTokens receiverTokens, DispatcherConfig config, ObjectMapper json) {
        this.webhooks = webhooks;
        this.authentication = authentication;
        this.http = http;
        this.receiverTokens = receiverTokens;
        this.config = config;
        this.json = json;
    }

    /**
     * Pings webhook {@code webhookId} of {@code environment}, signed with {@code secretIds} only (each must be one the
     * webhook signs with now: a ping never signs with anything the webhook was not given). {@code purpose} goes into
     * the body, e.g. {@code rotation_check}.
     */
    public Uni<Result> ping(String environment, String webhookId, List<String> secretIds, String purpose) {
        WebhookState w = webhooks.webhook(webhookId);
        if (w == null || !w.environment().equals(environment)) {
            return Uni.createFrom().failure(ProblemException.notFound("webhook_not_found",
                    "No webhook " + webhookId + " in this Environment."));
        }
        List<String> current = w.security() == null || w.security().secretIds() == null ? List.of()
                : w.security().secretIds();
        if (secretIds.isEmpty() || !current.containsAll(secretIds)) {
            return Uni.createFrom().failure(new ProblemException(422, "secret_not_on_webhook", "Unprocessable request",
                    "A ping signs only with secrets the webhook signs with now: " + current));
        }
        // token-exchange caches receiver tokens per webhook: a token fetched with the old secret proves nothing, so
        // the ping gets a cache entry of its own, fetched with the named secret and dropped afterwards
        boolean exchange = SecurityMethods.TOKEN_EXCHANGE.equals(w.security().method());
        String pingId = exchange ? w.id() + "#ping-" + SecretGenerator.newId("") : w.id();
        WebhookState narrowed = new WebhookState(w.schemaVersion(), pingId, w.environment(), w.url(),
                w.notificationTypes(), w.paused(),
                // only the named secrets sign: never the webhook's own keys (a webhook that has them holds no secret)
                new WebhookState.Security(w.security().method(), secretIds, w.security().tokenUrl(), null, null),
                w.version(), w.createdAt(), w.updatedAt());
        return send(w, narrowed, environment, webhookId, purpose).eventually(() -> {
            if (exchange) {
                receiverTokens.drop(pingId);
            }
        });
    }

    /**
     * Pings webhook {@code webhookId} signed with only the named own keys of the webhook (each must be active): the
     * proof asked before one of its keys is retired, that the receiver verifies the keys that stay.
     */
    public Uni<Result> pingWithOwnKeys(String environment, String webhookId, List<String> keyIds, String purpose) {
        WebhookState w = webhooks.webhook(webhookId);
        if (w == null || !w.environment().equals(environment)) {
            return Uni.createFrom().failure(ProblemException.notFound("webhook_not_found",
                    "No webhook " + webhookId + " in this Environment."));
        }
        List<WebhookState.SigningKey> own = w.security() == null || w.security().signingKeys() == null ? List.of()
                : w.security().signingKeys();
        List<WebhookState.SigningKey> named = own.stream()
                .filter(k -> keyIds.contains(k.id()) && WebhookState.SigningKey.ACTIVE.equals(k.status())).toList();
        if (named.size() != keyIds.size()) {
            return Uni.createFrom().failure(new ProblemException(422, "signing_key_not_active", "Unprocessable request",
                    "A ping signs only with active keys of the webhook's own"));
        }
        WebhookState narrowed = new WebhookState(w.schemaVersion(), w.id(), w.environment(), w.url(),
                w.notificationTypes(), w.paused(), new WebhookState.Security(w.security().method(), List.of(),
                        w.security().tokenUrl(), w.security().signatureScheme(), named),
                w.version(), w.createdAt(), w.updatedAt());
        return send(w, narrowed, environment, webhookId, purpose);
    }

    private Uni<Result> send(WebhookState w, WebhookState narrowed, String environment, String webhookId,
            String purpose) {
        Instant now = Instant.now();
        String msgId = "msg_ping_" + SecretGenerator.newId("");
        String body = body(environment, webhookId, purpose, now);
        DeliveryRow d = new DeliveryRow(msgId, 0, webhookId, environment, msgId, msgId, TYPE, null, body,
                DeliveryRow.PENDING, 0, null, now, null);
        long t0 = System.nanoTime();
        long seconds = now.getEpochSecond();
        return authentication.headers(narrowed, d, seconds).chain(h -> {
            // the webhook's own static headers too (issue 31): a receiver behind a gateway that routes on them
            Map<String, String> all = new LinkedHashMap<>(WebhookTuning.headers(w));
            all.put("content-type", "application/json");
            all.put("webhook-id", msgId);
            all.put("webhook-timestamp", String.valueOf(seconds));
            all.putAll(h);
            return http.post(w.url(), all, Buffer.buffer(body), config.delivery().maxResponseBytes(), false, t0);
        }).map(a -> new Result(msgId, a.status() >= 200 && a.status() < 300, a.status(), null, millisSince(t0)))
                .onFailure()
                .recoverWithItem(e -> new Result(msgId, false, null, AttemptOutcomes.errorOf(e), millisSince(t0)));
    }

    private String body(String environment, String webhookId, String purpose, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("environment", environment);
        data.put("webhookId", webhookId);
        data.put("purpose", purpose);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE);
        body.put("timestamp", now.toString());
        body.put("data", data);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a ping body", e);
        }
    }

    private static int millisSince(long t0) {
        return (int) ((System.nanoTime() - t0) / 1_000_000);
    }
}
