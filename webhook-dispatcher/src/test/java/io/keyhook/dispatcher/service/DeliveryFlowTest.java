package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;

import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.messaging.EventRouter;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Events in, signed webhooks out, against a real HTTP receiver that verifies signatures with the reference Standard
 * Webhooks library: routing by opt-in, stable webhook-id across retries, per-record order, dead letters.
 */
@QuarkusTest
public class DeliveryFlowTest {

    /** The delivery waits below measure deliveries, not the event consumer's first group join. */
    @BeforeEach
    void eventConsumerReads() {
        DispatcherViews.awaitEventConsumer();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DeliveryStore store;

    record Received(String path, String webhookId, String body, boolean verified) {
    }

    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    static final Map<String, AtomicInteger> FAILURES_LEFT = new ConcurrentHashMap<>();
    static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    static final Map<String, String> SECRET_IDS = new ConcurrentHashMap<>();
    static final StubHttpServer RECEIVER = new StubHttpServer(DeliveryFlowTest::receive);

    static void receive(HttpExchange ex) throws java.io.IOException {
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        AtomicInteger fail = FAILURES_LEFT.get(path);
        boolean verified;
        try {
            new Webhook(SECRETS.get(path)).verify(body,
                    Map.of("webhook-id", List.of(ex.getRequestHeaders().getFirst("webhook-id")), "webhook-timestamp",
                            List.of(ex.getRequestHeaders().getFirst("webhook-timestamp")), "webhook-signature",
                            List.of(ex.getRequestHeaders().getFirst("webhook-signature"))));
            verified = true;
        } catch (Exception e) {
            verified = false;
        }
        RECEIVED.add(new Received(path, ex.getRequestHeaders().getFirst("webhook-id"), body, verified));
        if (path.equals("/gone")) {
            StubHttpServer.respond(ex, 410, "{}");
        } else if (fail != null && fail.getAndDecrement() > 0) {
            StubHttpServer.respond(ex, 500, "{\"error\":\"try later\"}");
        } else {
            StubHttpServer.respond(ex, 200, "{}");
        }
    }

    /** Publishes a client with one secret and a webhook to RECEIVER/path using it: {Environment, webhook id}. */
    public static String[] webhookAt(String path, List<String> types) throws Exception {
        return webhookAt(RECEIVER.url(), path, types);
    }

    /** The same at another receiver (base URL), for tests that steer their own. */
    public static String[] webhookAt(String receiverUrl, String path, List<String> types) throws Exception {
        String env = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        String secret = SecretGenerator.newSecret();
        SECRETS.put(path, secret);
        String clientId = SecretGenerator.newId("cl_");
        String secretId = SecretGenerator.newId("sec_");
        SECRET_IDS.put(path, secretId);
        String ciphertext = new LocalKeyFileCipher(Path.of("target/test-keys/secret-cipher.keys")).encryptNow(env,
                secret.getBytes(StandardCharsets.UTF_8));
        io.keyhook.dispatcher.Topics.send("keyhook.credentials", clientId,
                "{\"schemaVersion\":1,\"kind\":\"api\"," + "\"clientId\":\"" + clientId + "\",\"environment\":\"" + env
                        + "\",\"status\":\"active\",\"secrets\":" + "[{\"id\":\"" + secretId
                        + "\",\"status\":\"active\",\"ciphertext\":\"" + ciphertext + "\"}]}");
        String id = SecretGenerator.newId("wh_");
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", id,
                JSON.writeValueAsString(Map.of("schemaVersion", 1, "id", id, "environment", env, "url",
                        receiverUrl + path, "notificationTypes", types, "paused", false, "security",
                        Map.of("method", "standard-webhooks", "secretIds", List.of(secretId)), "version", 1)));
        DispatcherViews.awaitWebhookAndSecret(id, 1, secretId);
        return new String[] { env, id };
    }

    public static void event(String env, String id, String type, String subject) throws Exception {
        io.keyhook.dispatcher.Topics.send("keyhook.data-changes", env,
                "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\",\"type\":\"" + type
                        + "\",\"subject\":\"" + subject + "\",\"environment\":\"" + env
                        + "\",\"data\":{\"resource\":\"patients\",\"resourceId\":\"" + subject + "\",\"action\":\""
                        + type.substring(type.indexOf('.') + 1) + "\",\"updatedAt\":\"2026-11-28T10:00:00Z\",\"href\":"
                        + "\"https://api.example.com/patients/" + subject + "\"}}");
    }

    static List<Received> at(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void optedInEventsArriveSignedAndInOrderPerRecord() throws Exception {
        String[] w = webhookAt("/a", List.of("patients.updated"));
        String env = w[0];
        event(env, "e1", "patients.updated", "p-1");
        event(env, "e2", "patients.created", "p-1");
        event(env, "e3", "patients.updated", "p-2");
        event(env, "e4", "patients.updated", "p-1");
        // e2 precedes e4 on the Environment's partition: it was routed, and not delivered, before e4 arrived
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> at("/a").stream().anyMatch(r -> r.webhookId().equals(EventRouter.msgId(w[1], "e4"))));
        List<Received> got = at("/a");
        assertEquals(3, got.size(), "patients.created was not opted into");
        assertTrue(got.stream().allMatch(Received::verified), "every signature verifies");
        List<String> p1 = got.stream().filter(r -> r.body().contains("\"resourceId\":\"p-1\"")).map(Received::webhookId)
                .toList();
        assertEquals(List.of(EventRouter.msgId(w[1], "e1"), EventRouter.msgId(w[1], "e4")), p1,
                "events about the same record arrive in publish order");
        assertTrue(got.get(0).body().startsWith("{\"type\":\"patients.updated\",\"timestamp\":"), got.get(0).body());
        // the publisher's event id, so a receiver can tie deliveries to one event across its webhooks
        assertTrue(got.stream().filter(r -> r.webhookId().equals(EventRouter.msgId(w[1], "e1")))
                .allMatch(r -> r.body().contains("\"eventId\":\"e1\"")), got.toString());
    }

    @Test
    void failedAttemptsAreRetriedWithTheSameWebhookIdAndLaterEventsOfTheRecordWait() throws Exception {
        String env = webhookAt("/flaky", List.of("patients.updated"))[0];
        FAILURES_LEFT.put("/flaky", new AtomicInteger(2));
        event(env, "f1", "patients.updated", "p-9");
        event(env, "f2", "patients.updated", "p-9");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> at("/flaky").size() == 4);
        List<Received> got = at("/flaky");
        // f1 three times (500, 500, 200), and only then f2
        assertEquals(got.get(0).webhookId(), got.get(1).webhookId());
        assertEquals(got.get(0).webhookId(), got.get(2).webhookId());
        assertTrue(!got.get(3).webhookId().equals(got.get(0).webhookId()));
        assertTrue(got.get(0).body().equals(got.get(2).body()), "every attempt sends the same bytes");
    }

    @Test
    void aPausedWebhooksEventsAreHeldThenDeliveredInOrderOnResume() throws Exception {
        String[] w = webhookAt("/paused", List.of("patients.updated"));
        String env = w[0];
        String webhook = JSON.writeValueAsString(Map.of("schemaVersion", 1, "id", w[1], "environment", env, "url",
                RECEIVER.url() + "/paused", "notificationTypes", List.of("patients.updated"), "paused", true,
                "security", Map.of("method", "standard-webhooks", "secretIds", List.of(SECRET_IDS.get("/paused"))),
                "version", 2));
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", w[1], webhook);
        assertTrue(DispatcherViews.awaitWebhook(w[1], 2).paused());
        event(env, "h1", "patients.updated", "p-5");
        event(env, "h2", "patients.updated", "p-5");
        // both were routed and held in the delivery log, not sent
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(w[1], "held").await().indefinitely() == 2);
        assertEquals(0, at("/paused").size(), "nothing goes out while paused");
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", w[1],
                webhook.replace("\"paused\":true", "\"paused\":false").replace("\"version\":2", "\"version\":3"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> at("/paused").size() == 2);
        assertEquals(List.of(EventRouter.msgId(w[1], "h1"), EventRouter.msgId(w[1], "h2")),
                at("/paused").stream().map(Received::webhookId).toList());
    }

    @Test
    void aTypeTheConfigurationDoesNotOfferIsDeadLettered() throws Exception {
        String env = webhookAt("/typed", List.of("patients.updated"))[0];
        io.keyhook.dispatcher.Topics.send("keyhook.environments", env, "{\"schemaVersion\":1,\"id\":\"" + env
                + "\",\"name\":\"x\",\"configuration\":{\"name\":\"c\",\"version\":1,\"dataTypes\":[\"patients\"]},"
                + "\"updatedAt\":\"2026-11-28T10:00:00Z\"}");
        DispatcherViews.awaitEnvironment(env);
        event(env, "u1", "invoices.updated", "i-1");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> TopicReader.readAll("keyhook.data-changes.dlq")
                .stream()
                .anyMatch(r -> r.value() != null && r.value().contains("\"id\":\"u1\"") && "unknown_type".equals(
                        new String(r.headers().lastHeader("keyhook-dlq-reason").value(), StandardCharsets.UTF_8))));
    }

    @Test
    void aReceiverThatIsGoneIsNotRetriedAndItsWebhookIsPaused() throws Exception {
        String[] w = webhookAt("/gone", List.of("patients.updated"));
        event(w[0], "g1", "patients.updated", "p-1");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> io.keyhook.dispatcher.DispatcherTestResources.SERVICE_CALLS
                        .contains("POST /internal/v1/webhooks/" + w[1] + "/disable"));
        // the attempt is recorded as failed, which is final: nothing is scheduled after it
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(w[1], "failed").await().indefinitely() == 1);
        assertEquals(1, at("/gone").size(), "410 is final: no retry");
    }

    @Test
    void unusableRecordsGoToTheDeadLetterTopicWithTheirReason() throws Exception {
        io.keyhook.dispatcher.Topics.send("keyhook.data-changes", "env-x", "this is not json");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> TopicReader.readAll("keyhook.data-changes.dlq")
                .stream().anyMatch(r -> "this is not json".equals(r.value()) && "not_json".equals(
                        new String(r.headers().lastHeader("keyhook-dlq-reason").value(), StandardCharsets.UTF_8))));
    }
}
