package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.standardwebhooks.Webhook;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.restassured.specification.RequestSpecification;

/**
 * What a customer does, through the public APIs and Kafka only, against the running suite: opt-in filtering (also for a
 * type the Configuration gains later), pause and resume, each security method verified by the receiver the way the docs
 * say, and tenant isolation between two Environments.
 */
// also in the secured pass: the connections it crosses are listed in e2e-tests/README.md
@Tag("secured-infra")
class CustomerJourneyE2ETest {

    record Got(String path, String webhookId, String timestamp, String signature, String authorization, String body) {
    }

    static final List<Got> GOT = new CopyOnWriteArrayList<>();
    static final Map<String, String> RECEIVER_CLIENTS = new ConcurrentHashMap<>();
    static final Map<String, String> ISSUED = new ConcurrentHashMap<>();
    static final AtomicInteger TOKENS = new AtomicInteger();
    static Suite suite;
    static String operator;
    static StubHttpServer receiver;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void setUp() {
        suite = Suite.get();
        operator = token(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET);
        receiver = new StubHttpServer(ex -> {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals("/oauth/token")) {
                // the receiver's own token endpoint (token-exchange): it knows the Keyhook client and its secret
                String auth = ex.getRequestHeaders().getFirst("authorization");
                String expected = RECEIVER_CLIENTS.get("current");
                if (auth == null || !auth.equals(expected) || !body.contains("grant_type=client_credentials")) {
                    StubHttpServer.respond(ex, 401, "{\"error\":\"invalid_client\"}");
                    return;
                }
                String t = "rx-" + TOKENS.incrementAndGet() + "-" + SecretGenerator.newId("");
                ISSUED.put(t, "yes");
                StubHttpServer.respond(ex, 200, "{\"access_token\":\"" + t + "\",\"expires_in\":600}");
                return;
            }
            GOT.add(new Got(path, ex.getRequestHeaders().getFirst("webhook-id"),
                    ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"),
                    ex.getRequestHeaders().getFirst("authorization"), body));
            StubHttpServer.respond(ex, 204, "");
        });
        Properties p = KafkaBroker.shared().clientProperties();
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void tearDown() {
        producer.close();
    }

    @Test
    void onlyOptedInTypesArriveAndAPausedWebhooksEventsArriveInOrderOnResume() throws Exception {
        String env = environment("journey", List.of("patients"));
        var client = client(env);
        String path = "/optin-" + env;
        String webhooks = suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks";
        String id = admin(operator)
                .body(Map.of("url", receiver.url() + path, "notificationTypes", List.of("patients.updated"), "security",
                        Map.of("method", "standard-webhooks", "secretIds", List.of(client.secretId()))))
                .post(webhooks).then().statusCode(201).extract().path("id");
        warmUp(env, path);

        publish(env, "patients.created", "p-1", "c1");
        publish(env, "patients.updated", "p-1", "u1");
        awaitAt(path, "u1");
        // a type the Configuration gains later is not delivered until the webhook opts into it
        admin(operator).body(Map.of("dataTypes", List.of("patients", "invoices")))
                .put(suite.credentials.url() + "/api/v1/configurations/" + env).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> admin(operator)
                        .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types").asString()
                        .contains("invoices.updated"));
        publish(env, "invoices.updated", "i-1", "i1");
        publish(env, "patients.updated", "p-1", "u2");
        // c1 and i1 precede u1 and u2 on the Environment's partition: they were routed (and dropped) before those
        // arrived
        awaitAt(path, "u2");
        assertTrue(bodiesAt(path).stream().noneMatch(b -> b.contains("\"c1-") || b.contains("\"i1-")),
                "neither patients.created nor the new invoices.updated were opted into");
        admin(operator).body(Map.of("notificationTypes", List.of("patients.updated", "invoices.updated")))
                .patch(webhooks + "/" + id).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
            publish(env, "invoices.updated", "i-2", "i2-" + SecretGenerator.newId(""));
            return bodiesAt(path).stream().anyMatch(b -> b.contains("\"i2-"));
        });

        // pause: held; resume: delivered, in publish order
        admin(operator).post(webhooks + "/" + id + "/pause").then().statusCode(200);
        Thread.sleep(1500);
        int before = bodiesAt(path).size();
        for (int i = 1; i <= 3; i++) {
            publish(env, "patients.updated", "p-9", "h" + i);
        }
        Thread.sleep(2000);
        assertEquals(before, bodiesAt(path).size(), "nothing goes out while paused");
        admin(operator).post(webhooks + "/" + id + "/resume").then().statusCode(200);
        awaitAt(path, "h3");
        List<String> held = bodiesAt(path).stream().filter(b -> b.contains("\"resourceId\":\"h"))
                .map(b -> b.substring(b.indexOf("\"resourceId\":\"") + 14, b.indexOf("\"resourceId\":\"") + 16))
                .toList();
        assertEquals(List.of("h1", "h2", "h3"), held);
    }

    @Test
    void eachSecurityMethodVerifiesAtTheReceiverAsTheDocsSay() throws Exception {
        // one Environment per method (one webhook per Environment by default)
        for (String method : List.of("standard-webhooks", "jwt-bearer", "token-exchange")) {
            String env = environment("sec", List.of("patients"));
            var client = client(env);
            String path = "/" + method + "-" + env;
            Map<String, Object> security = method.equals("token-exchange")
                    ? Map.of("method", method, "secretIds", List.of(client.secretId()), "tokenUrl",
                            receiver.url() + "/oauth/token")
                    : Map.of("method", method, "secretIds", List.of(client.secretId()));
            RECEIVER_CLIENTS.put("current", "Basic " + Base64.getEncoder()
                    .encodeToString((client.id() + ":" + client.secret()).getBytes(StandardCharsets.UTF_8)));
            admin(operator)
                    .body(Map.of("url", receiver.url() + path, "notificationTypes", List.of("patients.updated"),
                            "security", security))
                    .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(201);
            warmUp(env, path);
            Got g = GOT.stream().filter(x -> x.path().equals(path)).findFirst().orElseThrow();
            switch (method) {
            case "standard-webhooks" -> new Webhook(client.secret()).verify(g.body(),
                    Map.of("webhook-id", List.of(g.webhookId()), "webhook-timestamp", List.of(g.timestamp()),
                            "webhook-signature", List.of(g.signature())));
            case "jwt-bearer" -> {
                SignedJWT jwt = SignedJWT.parse(g.authorization().substring("Bearer ".length()));
                assertEquals(JWSAlgorithm.HS256, jwt.getHeader().getAlgorithm());
                assertTrue(jwt.verify(new MACVerifier(client.secret().getBytes(StandardCharsets.UTF_8))));
                var c = jwt.getJWTClaimsSet();
                String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(g.body().getBytes(StandardCharsets.UTF_8)));
                assertEquals(client.id(), c.getIssuer());
                assertTrue(c.getAudience().contains(receiver.url() + path));
                assertTrue(c.getExpirationTime().after(new Date()));
                assertEquals(hash, c.getStringClaim("body_sha256"));
                assertEquals(g.webhookId(), c.getJWTID());
            }
            default -> assertTrue(ISSUED.containsKey(g.authorization().substring("Bearer ".length())),
                    "the bearer token is one the receiver's token endpoint issued");
            }
        }
    }

    @Test
    void anAdminOfEnvironmentASeesNothingOfBAndAsEventsNeverReachBsWebhook() throws Exception {
        String a = environment("tenant-a", List.of("patients"));
        String b = environment("tenant-b", List.of("patients"));
        var clientA = client(a);
        var clientB = client(b);
        for (var e : List.of(Map.entry(a, clientA), Map.entry(b, clientB))) {
            admin(operator)
                    .body(Map.of("url", receiver.url() + "/tenant-" + e.getKey(), "notificationTypes",
                            List.of("patients.updated"), "security",
                            Map.of("method", "standard-webhooks", "secretIds", List.of(e.getValue().secretId()))))
                    .post(suite.webhooks.url() + "/api/v1/environments/" + e.getKey() + "/webhooks").then()
                    .statusCode(201);
        }
        var adminOfA = admin(operator)
                .body(Map.of("name", "admin of A", "groups", List.of("integration-admin"), "environments", List.of(a)))
                .post(suite.credentials.url() + "/api/v1/admin-clients").then().statusCode(201).extract();
        String tokenA = token(adminOfA.path("clientId"), adminOfA.path("secret.value"));
        String webhookOfB = admin(operator).get(suite.webhooks.url() + "/api/v1/environments/" + b + "/webhooks").then()
                .statusCode(200).extract().path("[0].id");
        for (String url : List.of(suite.credentials.url() + "/api/v1/environments/" + b,
                suite.credentials.url() + "/api/v1/environments/" + b + "/clients",
                suite.credentials.url() + "/api/v1/environments/" + b + "/clients/" + clientB.id() + "/secrets",
                suite.webhooks.url() + "/api/v1/environments/" + b + "/webhooks",
                suite.webhooks.url() + "/api/v1/environments/" + b + "/webhooks/" + webhookOfB,
                suite.dispatcher.url() + "/api/v1/environments/" + b + "/webhooks/" + webhookOfB + "/deliveries")) {
            assertEquals(404, admin(tokenA).get(url).statusCode(), url);
        }
        assertEquals(404,
                admin(tokenA).post(
                        suite.credentials.url() + "/api/v1/environments/" + b + "/clients/" + clientB.id() + "/secrets")
                        .statusCode());
        assertEquals(200,
                admin(tokenA).get(suite.webhooks.url() + "/api/v1/environments/" + a + "/webhooks").statusCode(),
                "its own Environment works");

        warmUp(a, "/tenant-" + a);
        warmUp(b, "/tenant-" + b);
        for (int i = 0; i < 5; i++) {
            publish(a, "patients.updated", "p-" + i, "ta" + i);
        }
        awaitAt("/tenant-" + a, "ta4");
        Thread.sleep(500);
        assertTrue(bodiesAt("/tenant-" + b).stream().noneMatch(x -> x.contains("\"ta")), "A's events stay A's");
        assertTrue(bodiesAt("/tenant-" + a).stream().allMatch(x -> x.contains("\"environment\":\"" + a + "\"")));
    }

    record Client(String id, String secretId, String secret) {
    }

    private static String environment(String prefix, List<String> types) {
        String env = prefix + "-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        admin(operator).body(Map.of("dataTypes", types)).put(suite.credentials.url() + "/api/v1/configurations/" + env)
                .then().statusCode(201);
        admin(operator).body(Map.of("id", env, "name", env, "configuration", env))
                .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin(operator)
                .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types").statusCode() == 200);
        return env;
    }

    private static Client client(String env) {
        var c = admin(operator).body(Map.of("name", "app"))
                .post(suite.credentials.url() + "/api/v1/environments/" + env + "/clients").then().statusCode(201)
                .extract();
        return new Client(c.path("clientId"), c.path("secret.id"), c.path("secret.value"));
    }

    /** Publishes until the webhook's first delivery arrives (the dispatcher's views catch up asynchronously). */
    private static void warmUp(String env, String path) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            publish(env, "patients.updated", "warm", "w" + SecretGenerator.newId(""));
            return GOT.stream().anyMatch(g -> g.path().equals(path));
        });
    }

    private static void publish(String env, String type, String subject, String tag) throws Exception {
        String resourceId = tag + "-" + subject;
        producer.send(new ProducerRecord<>("keyhook.data-changes", env,
                "{\"specversion\":\"1.0\",\"id\":\"" + SecretGenerator.newId("evt_")
                        + "\",\"source\":\"/journey\",\"type\":\"" + type + "\",\"subject\":\"" + subject
                        + "\",\"environment\":\"" + env + "\",\"data\":{\"resource\":\"" + type.split("\\.")[0]
                        + "\",\"resourceId\":\"" + resourceId + "\",\"action\":\"" + type.split("\\.")[1]
                        + "\",\"updatedAt\":\"2026-11-28T10:00:00Z\",\"href\":\"https://api.example.com/x/" + resourceId
                        + "\"}}"))
                .get(10, TimeUnit.SECONDS);
    }

    private static void awaitAt(String path, String tag) {
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> bodiesAt(path).stream().anyMatch(b -> b.contains("\"resourceId\":\"" + tag + "-")));
    }

    private static List<String> bodiesAt(String path) {
        return GOT.stream().filter(g -> g.path().equals(path)).map(Got::body).toList();
    }

    private static String token(String id, String secret) {
        return given().auth().preemptive().basic(id, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post(suite.tokens.url() + "/oauth2/token").then()
                .statusCode(200).extract().path("access_token");
    }

    private static RequestSpecification admin(String token) {
        return given().auth().oauth2(token).contentType("application/json");
    }
}
