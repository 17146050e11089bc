package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.standardwebhooks.Webhook;

import io.keyhook.testing.StubHttpServer;
import io.restassured.response.Response;

/**
 * Issue 31's acceptance: a receiver breaks until its deliveries are exhausted. With a real SMTP server (GreenMail) and
 * a real operational-webhook receiver, on a suite of its own (a compressed retry schedule and auto-disable period no
 * other test may see): the operational events arrive, signed; the e-mail arrives once (one digest); the webhook is
 * auto-disabled at the configured time; {@code recover} re-sends exactly the failed deliveries, in record order; the
 * gap manifest, signed, lists exactly the affected records, and {@code keyhook.gaps.available} follows the recovery.
 */
class DeliveryOperationsE2ETest {

    /** Shortened from 5 days: a webhook failing this long with no delivered attempt is paused (reason failing). */
    static final Duration AUTO_DISABLE_AFTER = Duration.ofSeconds(15);
    /** How often the dispatcher checks auto-disable: the pause may come this much (plus a poll) after the period. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    static final ObjectMapper JSON = new ObjectMapper();

    static GreenMail smtp;
    static Suite suite;
    static Setup setup;

    @BeforeAll
    static void start() throws Exception {
        int smtpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            smtpPort = s.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> overrides = new HashMap<>();
        // three attempts, then failed; the breaker's pause short enough not to matter
        overrides.put("KEYHOOK_DISPATCHER_DELIVERY_RETRY_SCHEDULE", "0,300ms,300ms");
        overrides.put("KEYHOOK_DISPATCHER_DELIVERY_BREAKER_OPEN_FOR", "1s");
        overrides.put("KEYHOOK_DISPATCHER_DELIVERY_BREAKER_MAX_OPEN_FOR", "2s");
        overrides.put("KEYHOOK_DISPATCHER_OPERATIONAL_FAILING_AFTER_FAILURES", "3");
        overrides.put("KEYHOOK_DISPATCHER_OPERATIONAL_AUTO_DISABLE_AFTER", AUTO_DISABLE_AFTER.getSeconds() + "s");
        overrides.put("KEYHOOK_DISPATCHER_OPERATIONAL_CHECK_EVERY", CHECK_EVERY.getSeconds() + "s");
        // the operator's SMTP server; a burst is gathered for 3 s into one message, then nothing for 10 minutes
        overrides.put("KEYHOOK_NOTIFICATIONS_SMTP_HOST", "127.0.0.1");
        overrides.put("KEYHOOK_NOTIFICATIONS_SMTP_PORT", String.valueOf(smtpPort));
        overrides.put("KEYHOOK_NOTIFICATIONS_SMTP_START_TLS", "DISABLED");
        overrides.put("KEYHOOK_NOTIFICATIONS_SMTP_FROM", "keyhook@ops.example");
        overrides.put("KEYHOOK_NOTIFICATIONS_CONSOLE_URL", "https://console.ops.example");
        overrides.put("KEYHOOK_NOTIFICATIONS_GATHER", "3s");
        overrides.put("KEYHOOK_NOTIFICATIONS_MIN_INTERVAL", "10m");
        overrides.put("KEYHOOK_NOTIFICATIONS_CHECK_INTERVAL", "1s");
        suite = Suite.separate("ops", overrides);
        setup = Setup.of(suite);
    }

    @AfterAll
    static void stop() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void aBrokenReceiverIsReportedDisabledRecoveredAndToldWhatItMissed() throws Exception {
        String env = setup.environment("ops", "Delivery operations", "patients");
        Setup.Client app = setup.client(env, "the app");
        String base = suite.webhooks.url() + "/api/v1/environments/" + env;
        String deliveriesBase = suite.dispatcher.url() + "/api/v1/environments/" + env;
        setup.admin().body(Map.of("emails", List.of("integration-admin@ops.example")))
                .put(base + "/notification-settings").then().statusCode(200);

        // the operational webhook: every operational event of the Environment, signed like a data webhook
        OperationalReceiver ops = new OperationalReceiver(app.secretValue());
        String opsHook = setup.admin()
                .body(Map.of("url", ops.server.url() + "/ops", "purpose", "operational", "security",
                        Map.of("method", "standard-webhooks", "secretIds", List.of(app.secretId()))))
                .post(base + "/webhooks").then().statusCode(201).extract().path("id");

        // the data webhook and its receiver, working at first
        DataReceiver data = new DataReceiver(app.secretValue());
        String hook = setup.webhook(env, data.server.url() + "/hooks", "standard-webhooks", app.secretId());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(suite.broker.clientProperties(),
                new StringSerializer(), new StringSerializer())) {
            // a delivered event first (not affected, never re-sent, not in the manifest)
            String delivered = "evt_ok_" + System.nanoTime();
            Awaitility.await("the dispatcher knows the new webhook").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        publish(producer, env, delivered, "p-ok");
                        return data.delivered.contains(delivered);
                    });
            Instant since = Instant.now();

            // the receiver breaks: four events of three records end failed after three attempts each
            data.broken.set(true);
            List<String> failedEvents = new ArrayList<>();
            Map<String, String> recordOf = new HashMap<>();
            for (String record : List.of("p-1", "p-2", "p-1", "p-3")) {
                String id = "evt_" + record + "_" + System.nanoTime();
                publish(producer, env, id, record);
                failedEvents.add(id);
                recordOf.put(id, record);
            }
            Awaitility.await("every delivery ends failed").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> deliveries(deliveriesBase + "/webhooks/" + hook + "/deliveries?status=failed")
                            .containsAll(failedEvents));

            // the operational events: one delivery.exhausted per failed delivery, one webhook.failing
            Awaitility.await("the operational events arrive").atMost(Duration.ofSeconds(30))
                    .until(() -> ops.of("keyhook.delivery.exhausted").stream()
                            .map(e -> e.path("data").path("eventId").asText()).collect(Collectors.toSet())
                            .containsAll(failedEvents) && !ops.of("keyhook.webhook.failing").isEmpty());
            assertEquals(failedEvents.size(), ops.of("keyhook.delivery.exhausted").size(),
                    "one delivery.exhausted per failed delivery: " + ops.types());
            assertEquals(1, ops.of("keyhook.webhook.failing").size(), "failing once per episode: " + ops.types());
            JsonNode failing = ops.of("keyhook.webhook.failing").get(0);
            assertEquals(hook, failing.path("data").path("webhookId").asText(), failing.toString());
            assertEquals(0, ops.badSignatures.size(), "every operational event verified: " + ops.badSignatures);

            // the gap manifest, signed as deliveries are: exactly the three records, p-1 with its latest event
            Response gaps = setup.admin().get(deliveriesBase + "/webhooks/" + hook + "/gaps?since=" + since);
            assertEquals(200, gaps.statusCode(), gaps.asString());
            assertTrue(verifies(app.secretValue(), gaps), "the manifest verifies with the webhook's secret");
            Map<String, String> lastEventOfRecord = new HashMap<>();
            for (JsonNode item : JSON.readTree(gaps.asString()).path("items")) {
                assertEquals("failed", item.path("reason").asText(), item.toString());
                lastEventOfRecord.put(item.path("resourceId").asText(), item.path("lastEventId").asText());
            }
            assertEquals(Set.of("p-1", "p-2", "p-3"), lastEventOfRecord.keySet(), gaps.asString());
            assertEquals(failedEvents.get(2), lastEventOfRecord.get("p-1"), "p-1's latest event");

            // auto-disable at the configured time after the failing episode began
            Instant failingSince = Instant.parse(failing.path("data").path("failingSince").asText());
            Awaitility.await("auto-disabled").atMost(AUTO_DISABLE_AFTER.plusSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> "failing".equals(setup.admin().get(base + "/webhooks/" + hook).path("pausedReason")));
            Instant pausedAt = Instant.parse(setup.admin().get(base + "/webhooks/" + hook).path("pausedAt"));
            Duration after = Duration.between(failingSince, pausedAt);
            System.out.printf("RESULT auto-disable: paused %d ms after the failing episode began (configured %d s)%n",
                    after.toMillis(), AUTO_DISABLE_AFTER.getSeconds());
            assertTrue(after.compareTo(AUTO_DISABLE_AFTER) >= 0, "not before the period: " + after);
            assertTrue(after.compareTo(AUTO_DISABLE_AFTER.plus(CHECK_EVERY).plusSeconds(5)) <= 0,
                    "at the configured time, give or take a check: " + after);
            Awaitility.await("webhook.disabled arrives").atMost(Duration.ofSeconds(30))
                    .until(() -> !ops.of("keyhook.webhook.disabled").isEmpty());
            assertEquals("failing", ops.of("keyhook.webhook.disabled").get(0).path("data").path("reason").asText());

            // the e-mail: one digest for the burst (the next may come only after the 10-minute interval)
            Awaitility.await("the digest e-mail").atMost(Duration.ofSeconds(30))
                    .until(() -> smtp.getReceivedMessages().length > 0);
            var mail = smtp.getReceivedMessages()[0];
            String body = GreenMailUtil.getBody(mail);
            assertEquals("integration-admin@ops.example", mail.getAllRecipients()[0].toString());
            assertTrue(body.contains(hook), "the message names the webhook: " + body);
            assertTrue(body.contains("https://console.ops.example"), "and links to the console: " + body);

            // while disabled, a new event is held; the receiver is fixed and an admin resumes the webhook
            String held = "evt_held_" + System.nanoTime();
            publish(producer, env, held, "p-4");
            Awaitility.await("held while disabled").atMost(Duration.ofSeconds(20)).until(
                    () -> deliveries(deliveriesBase + "/webhooks/" + hook + "/deliveries?status=held").contains(held));
            data.broken.set(false);
            setup.admin().post(base + "/webhooks/" + hook + "/resume").then().statusCode(200);
            Awaitility.await("the held event goes out after the resume").atMost(Duration.ofSeconds(30))
                    .until(() -> data.delivered.contains(held));

            // recover: exactly the failed deliveries go out again, once each, p-1's two in their order
            Response recovered = setup.admin().body(Map.of("since", since.toString()))
                    .post(deliveriesBase + "/webhooks/" + hook + "/recover");
            assertEquals(202, recovered.statusCode(), recovered.asString());
            assertEquals(failedEvents.size(), recovered.jsonPath().getInt("recovered"), recovered.asString());
            Awaitility.await("the failed deliveries arrive").atMost(Duration.ofSeconds(30))
                    .until(() -> data.delivered.containsAll(failedEvents));
            Awaitility.await("gaps.available follows the recovery").atMost(Duration.ofSeconds(30))
                    .until(() -> !ops.of("keyhook.gaps.available").isEmpty());
            assertEquals(1, data.deliveredCount(delivered), "a delivered event is never re-sent");
            for (String id : failedEvents) {
                assertEquals(1, data.deliveredCount(id), id + " delivered exactly once");
            }
            List<String> p1 = data.deliveredOrder.stream().filter(id -> "p-1".equals(recordOf.get(id))).toList();
            assertEquals(List.of(failedEvents.get(0), failedEvents.get(2)), p1, "record order kept");
            JsonNode available = ops.of("keyhook.gaps.available").get(0);
            assertEquals(hook, available.path("data").path("webhookId").asText(), available.toString());
            Awaitility.await("webhook.recovered follows the first delivered attempt").atMost(Duration.ofSeconds(30))
                    .until(() -> !ops.of("keyhook.webhook.recovered").isEmpty());

            // follow one event: the failed-then-recovered one, and one that went nowhere
            String dropped = "evt_dropped_" + System.nanoTime();
            producer.send(new ProducerRecord<>(Suite.DATA_CHANGES, env, event(env, dropped, "p-9", "patients.created")))
                    .get(10, TimeUnit.SECONDS);
            Awaitility.await("the dropped event is kept with its id").atMost(Duration.ofSeconds(20))
                    .until(() -> setup.admin().get(deliveriesBase + "/events/" + dropped).statusCode() == 200);
            Response trail = setup.admin().get(deliveriesBase + "/events/" + dropped);
            assertEquals("dropped", trail.path("disposition"), trail.asString());
            assertEquals("not_opted_in", trail.path("reason"), trail.asString());
            Response followed = setup.admin().get(deliveriesBase + "/events/" + failedEvents.get(1));
            assertEquals(200, followed.statusCode(), followed.asString());
            assertEquals(hook, followed.path("deliveries[0].webhookId"), followed.asString());

            // still one message: nothing else was sent inside the interval
            assertEquals(1, smtp.getReceivedMessages().length, "the e-mail arrived once");
        }
    }

    private static void publish(KafkaProducer<String, String> producer, String env, String id, String record)
            throws Exception {
        producer.send(new ProducerRecord<>(Suite.DATA_CHANGES, env, event(env, id, record, "patients.updated"))).get(10,
                TimeUnit.SECONDS);
    }

    private static Set<String> deliveries(String url) {
        Set<String> ids = new HashSet<>();
        String next = url + (url.contains("?") ? "&" : "?") + "limit=100";
        Response r = setup.admin().get(next);
        assertEquals(200, r.statusCode(), r.asString());
        ids.addAll(r.jsonPath().getList("items.eventId", String.class));
        return ids;
    }

    static String event(String env, String id, String record, String type) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/ops\",\"type\":\"" + type + "\","
                + "\"subject\":\"" + record + "\",\"environment\":\"" + env + "\",\"data\":{\"resource\":\"patients\","
                + "\"resourceId\":\"" + record + "\",\"action\":\"" + type.substring(type.indexOf('.') + 1)
                + "\",\"updatedAt\":\"2026-12-07T10:00:00Z\",\"href\":\"https://api.example.com/p/" + record + "\"}}";
    }

    private static boolean verifies(String secret, Response r) {
        try {
            new Webhook(secret).verify(r.asString(),
                    Map.of("webhook-id", List.of(r.header("webhook-id")), "webhook-timestamp",
                            List.of(r.header("webhook-timestamp")), "webhook-signature",
                            List.of(r.header("webhook-signature"))));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, List<String>> signatureHeaders(com.sun.net.httpserver.HttpExchange ex) {
        return Map.of("webhook-id", List.of(String.valueOf(ex.getRequestHeaders().getFirst("webhook-id"))),
                "webhook-timestamp", List.of(String.valueOf(ex.getRequestHeaders().getFirst("webhook-timestamp"))),
                "webhook-signature", List.of(String.valueOf(ex.getRequestHeaders().getFirst("webhook-signature"))));
    }

    /** The data webhook's receiver: answers 503 while broken, else verifies and records each event it takes. */
    static final class DataReceiver {
        final AtomicBoolean broken = new AtomicBoolean();
        final Set<String> delivered = ConcurrentHashMap.newKeySet();
        final List<String> deliveredOrder = new CopyOnWriteArrayList<>();
        final StubHttpServer server;

        DataReceiver(String secret) {
            server = new StubHttpServer(ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (broken.get()) {
                    StubHttpServer.respond(ex, 503, "{\"error\":\"maintenance\"}");
                    return;
                }
                try {
                    new Webhook(secret).verify(body, signatureHeaders(ex));
                } catch (Exception e) {
                    StubHttpServer.respond(ex, 401, "{}");
                    return;
                }
                String id = JSON.readTree(body).path("eventId").asText();
                delivered.add(id);
                deliveredOrder.add(id);
                StubHttpServer.respond(ex, 204, "");
            });
        }

        long deliveredCount(String id) {
            return deliveredOrder.stream().filter(id::equals).count();
        }
    }

    /** The operational webhook's receiver: verifies each event and keeps it (by CloudEvent id, once). */
    static final class OperationalReceiver {
        final Map<String, JsonNode> events = new ConcurrentHashMap<>();
        final List<String> badSignatures = new CopyOnWriteArrayList<>();
        final StubHttpServer server;

        OperationalReceiver(String secret) {
            server = new StubHttpServer(ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    new Webhook(secret).verify(body, signatureHeaders(ex));
                } catch (Exception e) {
                    badSignatures.add(body);
                    StubHttpServer.respond(ex, 401, "{}");
                    return;
                }
                JsonNode event = JSON.readTree(body);
                events.putIfAbsent(event.path("id").asText(), event);
                StubHttpServer.respond(ex, 204, "");
            });
        }

        List<JsonNode> of(String type) {
            return events.values().stream().filter(e -> type.equals(e.path("type").asText())).toList();
        }

        Map<String, Long> types() {
            return events.values().stream()
                    .collect(Collectors.groupingBy(e -> e.path("type").asText(), Collectors.counting()));
        }
    }
}
