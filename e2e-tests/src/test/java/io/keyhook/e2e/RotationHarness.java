package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import com.standardwebhooks.Webhook;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.restassured.response.ExtractableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * What both rotation tests need: an Environment with the app's client, a resource-server client and a standard-webhooks
 * webhook to a receiver that accepts a delivery only if one of the keys it currently holds verifies it (reference
 * Standard Webhooks library), and about 50 events/s streaming to it for the whole procedure.
 */
final class RotationHarness implements AutoCloseable {

    private static final Pattern NUMBERED = Pattern.compile("\"resourceId\":\"(r\\d+)\"");

    final Suite suite = Suite.get();
    final List<String> receiverKeys = new CopyOnWriteArrayList<>();
    final Set<String> received = ConcurrentHashMap.newKeySet();
    final AtomicInteger failedVerifications = new AtomicInteger();
    final AtomicInteger singleSignedWithNewKey = new AtomicInteger();
    final AtomicBoolean warmedUp = new AtomicBoolean();
    final AtomicBoolean streaming = new AtomicBoolean(true);
    final AtomicInteger sent = new AtomicInteger();
    volatile String newKey;
    final String operator;
    final String env;
    final String clients;
    final String webhooks;
    final String clientId;
    final String oldId;
    final String oldValue;
    final String webhookId;
    private final ExtractableResponse<?> resourceServer;
    private final KafkaProducer<String, String> producer;
    private final Thread publisher;
    /** The token endpoint's base URL for each call: the suite's token-service, or each replica in turn. */
    private final Supplier<String> tokensUrl;

    RotationHarness() {
        this(() -> Suite.get().tokens.url());
    }

    RotationHarness(Supplier<String> tokensUrl) {
        this.tokensUrl = tokensUrl;
        StubHttpServer receiver = new StubHttpServer(ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = Map.of("webhook-id",
                    List.of(ex.getRequestHeaders().getFirst("webhook-id")), "webhook-timestamp",
                    List.of(ex.getRequestHeaders().getFirst("webhook-timestamp")), "webhook-signature",
                    List.of(ex.getRequestHeaders().getFirst("webhook-signature")));
            if (receiverKeys.stream().noneMatch(key -> verifies(key, body, headers))) {
                failedVerifications.incrementAndGet();
                StubHttpServer.respond(ex, 401, "{}");
                return;
            }
            String signatures = ex.getRequestHeaders().getFirst("webhook-signature");
            // a verified rotation's keyhook.ping is signed with the new secret alone before the webhook is: not counted
            if (newKey != null && !signatures.contains(" ") && verifies(newKey, body, headers)
                    && !body.contains("\"type\":\"keyhook.ping\"")) {
                singleSignedWithNewKey.incrementAndGet();
            }
            // counted by event: the numbered ones the stream sends (warm-up events are not counted)
            Matcher m = NUMBERED.matcher(body);
            if (m.find()) {
                received.add(m.group(1));
            } else {
                warmedUp.set(true);
            }
            StubHttpServer.respond(ex, 204, "");
        });
        operator = token(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET);
        env = "rot-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        admin().body(Map.of("dataTypes", List.of("patients")))
                .put(suite.credentials.url() + "/api/v1/configurations/" + env).then().statusCode(201);
        admin().body(Map.of("id", env, "name", "Rotation", "configuration", env))
                .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
        clients = suite.credentials.url() + "/api/v1/environments/" + env + "/clients";
        var app = admin().body(Map.of("name", "the app")).post(clients).then().statusCode(201).extract();
        clientId = app.path("clientId");
        oldId = app.path("secret.id");
        oldValue = app.path("secret.value");
        // a second client of the Environment, to introspect the app's tokens as a resource server would
        resourceServer = admin().body(Map.of("name", "resource server")).post(clients).then().statusCode(201).extract();
        receiverKeys.add(oldValue);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin()
                .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types").statusCode() == 200);
        webhooks = suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks";
        webhookId = admin()
                .body(Map.of("url", receiver.url() + "/hooks", "notificationTypes", List.of("patients.updated"),
                        "security", Map.of("method", "standard-webhooks", "secretIds", List.of(oldId))))
                .post(webhooks).then().statusCode(201).extract().path("id");
        Properties p = KafkaBroker.shared().clientProperties();
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        // the dispatcher's view may take a moment to see the new webhook: one event until it arrives
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            producer.send(new ProducerRecord<>("keyhook.data-changes", env, event("warm"))).get();
            return warmedUp.get();
        });
        publisher = new Thread(() -> {
            while (streaming.get()) {
                producer.send(new ProducerRecord<>("keyhook.data-changes", env, event("r" + sent.incrementAndGet())));
                sleep(20);
            }
            producer.flush();
        }, "rotation-events");
        publisher.start();
    }

    /** Stops the stream, waits for every event, prints the figures and asserts nothing failed or was lost. */
    void finish(String label, long invalidationTookMillis) throws InterruptedException {
        streaming.set(false);
        publisher.join();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= sent.get());
        System.out.printf(
                "%nRESULT %s: %d events sent during the procedure, %d delivered, failed verifications %d,"
                        + " lost %d; the old secret stopped issuing tokens %d ms after its invalidation%n%n",
                label, sent.get(), received.size(), failedVerifications.get(), sent.get() - received.size(),
                invalidationTookMillis);
        assertEquals(0, failedVerifications.get(), "the receiver never saw a signature it could not verify");
        assertEquals(sent.get(), received.size(), "nothing lost");
    }

    /** Waits until the old secret no longer issues tokens; returns how long that took. */
    long awaitOldSecretRefused() {
        long t0 = System.nanoTime();
        // token-service learns it from keyhook.credentials (documented: within about a second)
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().auth().preemptive().basic(clientId, oldValue)
                        .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                        .post(tokensUrl.get() + "/oauth2/token").statusCode() == 401);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * Waits until {@code more} further numbered events have been received and verified: a phase of the procedure
     * happens under load when deliveries go on through it (a condition, not a fixed sleep).
     */
    void awaitDeliveries(String phase, int more) {
        int target = received.size() + more;
        Awaitility.await(phase).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> received.size() >= target);
    }

    /** The receiver drops the old key once deliveries carry the new signature alone (plus in-flight time). */
    void receiverDropsOldKeyWhenSafe() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> singleSignedWithNewKey.get() > 0);
        sleep(2000);
        receiverKeys.remove(oldValue);
    }

    boolean introspect(String token) {
        return introspect(tokensUrl.get(), token);
    }

    /** Whether the token-service at {@code tokensBase} says {@code token} is active, asked as a resource server. */
    boolean introspect(String tokensBase, String token) {
        return given().auth().preemptive().basic(resourceServer.path("clientId"), resourceServer.path("secret.value"))
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(tokensBase + "/oauth2/introspect").then().statusCode(200).extract().path("active");
    }

    String token(String id, String secret) {
        return given().auth().preemptive().basic(id, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post(tokensUrl.get() + "/oauth2/token").then()
                .statusCode(200).extract().path("access_token");
    }

    RequestSpecification admin() {
        return given().auth().oauth2(operator).contentType("application/json");
    }

    private String event(String resourceId) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + SecretGenerator.newId("evt_") + "\",\"source\":\"/patients\","
                + "\"type\":\"patients.updated\",\"subject\":\"" + resourceId + "\",\"environment\":\"" + env
                + "\",\"data\":{\"resource\":\"patients\",\"resourceId\":\"" + resourceId + "\",\"action\":\"updated\","
                + "\"updatedAt\":\"2026-11-28T10:00:00Z\",\"href\":\"https://api.example.com/patients/" + resourceId
                + "\"}}";
    }

    private static boolean verifies(String key, String body, Map<String, List<String>> headers) {
        try {
            new Webhook(key).verify(body, headers);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static void sleep(long millis) {
        ServiceProcess.sleep(millis);
    }

    @Override
    public void close() {
        streaming.set(false);
        producer.close();
    }
}
