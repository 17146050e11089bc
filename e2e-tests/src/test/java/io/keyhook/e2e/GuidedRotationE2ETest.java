package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import io.keyhook.common.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.restassured.specification.RequestSpecification;

/**
 * The guided rotation (one call to start, one to finish) against the running suite while events stream, with the same
 * receiver as {@link RotationUnderLoadE2ETest}: zero failed verifications, zero lost events. Then a rotation that
 * finishes on its own after its overlap.
 */
class GuidedRotationE2ETest {

    final Suite suite = Suite.get();
    final List<String> receiverKeys = new CopyOnWriteArrayList<>();
    final Set<String> received = ConcurrentHashMap.newKeySet();
    final AtomicBoolean warmedUp = new AtomicBoolean();
    final AtomicInteger failedVerifications = new AtomicInteger();
    final AtomicInteger singleSignedWithNewKey = new AtomicInteger();
    volatile String newKey;
    long invalidationTook;
    String operator;

    @Test
    void theGuidedRotationLosesNothingAndFailsNoVerification() throws Exception {
        StubHttpServer receiver = new StubHttpServer(ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = Map.of("webhook-id",
                    List.of(ex.getRequestHeaders().getFirst("webhook-id")), "webhook-timestamp",
                    List.of(ex.getRequestHeaders().getFirst("webhook-timestamp")), "webhook-signature",
                    List.of(ex.getRequestHeaders().getFirst("webhook-signature")));
            boolean ok = false;
            for (String key : receiverKeys) {
                try {
                    new Webhook(key).verify(body, headers);
                    ok = true;
                    break;
                } catch (Exception e) {
                    // try the next key the receiver holds
                }
            }
            if (!ok) {
                failedVerifications.incrementAndGet();
                StubHttpServer.respond(ex, 401, "{}");
                return;
            }
            String signatures = ex.getRequestHeaders().getFirst("webhook-signature");
            if (newKey != null && !signatures.contains(" ") && verifies(newKey, body, headers)) {
                singleSignedWithNewKey.incrementAndGet();
            }
            // counted by event: the numbered ones the stream sends (warm-up events are not counted)
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"resourceId\":\"(r\\d+)\"").matcher(body);
            if (m.find()) {
                received.add(m.group(1));
            } else {
                warmedUp.set(true);
            }
            StubHttpServer.respond(ex, 204, "");
        });
        operator = token(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET);
        String env = "rot-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        admin().body(Map.of("dataTypes", List.of("patients")))
                .put(suite.credentials.url() + "/api/v1/configurations/" + env).then().statusCode(200);
        admin().body(Map.of("id", env, "name", "Rotation", "configuration", env))
                .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
        String clients = suite.credentials.url() + "/api/v1/environments/" + env + "/clients";
        var app = admin().body(Map.of("name", "the app")).post(clients).then().statusCode(201).extract();
        String clientId = app.path("clientId");
        String oldId = app.path("secret.id");
        String oldValue = app.path("secret.value");
        // a second client of the Environment, to introspect the app's tokens as a resource server would
        var rs = admin().body(Map.of("name", "resource server")).post(clients).then().statusCode(201).extract();
        receiverKeys.add(oldValue);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin()
                .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types").statusCode() == 200);
        String webhooks = suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks";
        String webhookId = admin()
                .body(Map.of("url", receiver.url() + "/hooks", "notificationTypes", List.of("patients.updated"),
                        "security", Map.of("method", "standard-webhooks", "secretIds", List.of(oldId))))
                .post(webhooks).then().statusCode(201).extract().path("id");

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        AtomicBoolean streaming = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Thread publisher;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            // the dispatcher's view may take a moment to see the new webhook: one event until it arrives
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                producer.send(new ProducerRecord<>("keyhook.data-changes", env, event(env, "warm"))).get();
                return warmedUp.get();
            });
            publisher = new Thread(() -> {
                while (streaming.get()) {
                    producer.send(new ProducerRecord<>("keyhook.data-changes", env,
                            event(env, "r" + sent.incrementAndGet())));
                    sleep(20); // about 50 events/s, all through the procedure
                }
                producer.flush();
            }, "rotation-events");
            publisher.start();
            String oldToken = token(clientId, oldValue);
            sleep(1000);

            // start: a new secret (shown once), added to the webhook next to the old one
            String rotations = suite.webhooks.url() + "/api/v1/environments/" + env + "/rotations";
            admin().body(Map.of("clientId", clientId, "secretId", oldId, "finishAfter", "1 hour")).post(rotations)
                    .then().statusCode(422).contentType("application/problem+json");
            admin().body(Map.of("clientId", clientId, "secretId", rs.path("secret.id"))).post(rotations).then()
                    .statusCode(422).body("code", equalTo("secret_not_rotatable"));
            admin().get(rotations + "/rot_missing").then().statusCode(404).body("code", equalTo("rotation_not_found"));
            var started = admin().body(Map.of("clientId", clientId, "secretId", oldId)).post(rotations).then()
                    .statusCode(201).body("state", equalTo("overlapping")).body("webhookIds[0]", equalTo(webhookId))
                    .extract();
            String rotationId = started.path("id");
            String newId = started.path("newSecret.id");
            newKey = started.path("newSecret.value");
            admin().get(webhooks + "/" + webhookId).then().statusCode(200).body("security.secretIds",
                    org.hamcrest.Matchers.contains(oldId, newId));
            String newToken = token(clientId, newKey);
            receiverKeys.add(newKey);
            admin().body(Map.of("clientId", clientId, "secretId", oldId)).post(rotations).then().statusCode(409)
                    .body("code", equalTo("rotation_in_progress"));
            String invalidateOld = clients + "/" + clientId + "/secrets/" + oldId + "/invalidate";
            admin().post(invalidateOld).then().statusCode(409).body("code", equalTo("secret_in_use"));
            sleep(2000);
            // finish: the old secret leaves the webhook and is invalidated
            admin().post(rotations + "/" + rotationId + "/finish").then().statusCode(200).body("state",
                    equalTo("done"));
            admin().get(webhooks + "/" + webhookId).then().statusCode(200).body("security.secretIds",
                    org.hamcrest.Matchers.contains(newId));
            long invalidatedAt = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> given().auth().preemptive().basic(clientId, oldValue)
                            .contentType("application/x-www-form-urlencoded")
                            .formParam("grant_type", "client_credentials").post(suite.tokens.url() + "/oauth2/token")
                            .statusCode() == 401);
            invalidationTook = (System.nanoTime() - invalidatedAt) / 1_000_000;
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !introspect(rs, oldToken));
            assertTrue(introspect(rs, newToken), "tokens of the new secret stay active");
            String audit = admin().get(webhooks.replace("/webhooks", "/webhook-audit")).asString();
            assertTrue(audit.contains("rotation.start") && audit.contains("rotation.done"), audit);
            // 6. the receiver drops the old key once deliveries carry the new signature alone (plus the longest an
            // attempt signed before the switch can still be on its way)
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> singleSignedWithNewKey.get() > 0);
            sleep(2000);
            receiverKeys.remove(oldValue);
            // 7. done: events keep flowing, verified with the new key alone
            int before = received.size();
            sleep(3000);
            assertTrue(received.size() > before, "deliveries go on after the old key is gone");
            streaming.set(false);
            publisher.join();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= sent.get());
        System.out.printf(
                "%nRESULT guided rotation under load: %d events sent during the procedure, %d delivered,"
                        + " failed verifications %d, lost %d; the old secret stopped issuing tokens %d ms after its"
                        + " invalidation%n%n",
                sent.get(), received.size(), failedVerifications.get(), sent.get() - received.size(), invalidationTook);
        assertEquals(0, failedVerifications.get(), "the receiver never saw a signature it could not verify");
        assertEquals(sent.get(), received.size(), "nothing lost");

        // a rotation with an overlap finishes on its own (the job checks every second in this suite)...
        String current = newKeyId(clientId, clients);
        String auto = admin().body(Map.of("clientId", clientId, "secretId", current, "finishAfter", "PT1S"))
                .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/rotations").then().statusCode(201)
                .extract().path("id");
        // ... even when webhook-config-service is down in the meantime: the job resumes it from the database
        suite.webhooks.stop();
        sleep(2000);
        suite.webhooks.start();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "done"
                        .equals(admin().get(suite.webhooks.url() + "/api/v1/environments/" + env + "/rotations/" + auto)
                                .then().statusCode(200).extract().path("state")));
        admin().get(clients + "/" + clientId + "/secrets").then().statusCode(200)
                .body("find { it.id == '" + current + "' }.status", equalTo("invalidated"));
    }

    private String newKeyId(String clientId, String clients) {
        List<Map<String, Object>> all = admin().get(clients + "/" + clientId + "/secrets").then().statusCode(200)
                .extract().path("findAll { it.status == 'active' }");
        return (String) all.get(0).get("id");
    }

    private static boolean verifies(String key, String body, Map<String, List<String>> headers) {
        try {
            new Webhook(key).verify(body, headers);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean introspect(io.restassured.response.ExtractableResponse<?> client, String token) {
        return given().auth().preemptive().basic(client.path("clientId"), client.path("secret.value"))
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(suite.tokens.url() + "/oauth2/introspect").then().statusCode(200).extract().path("active");
    }

    private String token(String id, String secret) {
        return given().auth().preemptive().basic(id, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post(suite.tokens.url() + "/oauth2/token").then()
                .statusCode(200).extract().path("access_token");
    }

    private RequestSpecification admin() {
        return given().auth().oauth2(operator).contentType("application/json");
    }

    private static String event(String env, String resourceId) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + SecretGenerator.newId("evt_") + "\",\"source\":\"/patients\","
                + "\"type\":\"patients.updated\",\"subject\":\"" + resourceId + "\",\"environment\":\"" + env
                + "\",\"data\":{\"resource\":\"patients\",\"resourceId\":\"" + resourceId + "\",\"action\":\"updated\","
                + "\"updatedAt\":\"2026-11-28T10:00:00Z\",\"href\":\"https://api.example.com/patients/" + resourceId
                + "\"}}";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
