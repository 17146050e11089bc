package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.keyhook.testing.KafkaBroker;

/**
 * A replica judges admin tokens only once it knows every revocation: it is not ready, and accepts no revoked token,
 * while it is still reading {@code keyhook.token-revocations}, and it stays unready, naming the topic, when it cannot
 * read it at all (issue 28, point 2).
 */
class RevocationsReadinessE2ETest {

    /** Revocations of other tokens ahead of the one that matters, so reading them takes a while. */
    private static final int FILLER = 300_000;

    static Suite suite;
    static Setup setup;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        suite = Suite.get();
        setup = Setup.of(suite);
    }

    @Test
    void aFreshReplicaAcceptsNoRevokedTokenAndIsNotReadyUntilItHasReadTheRevocation() throws Exception {
        String env = setup.environment("revready", "Revocations readiness", "patients");
        Setup.Client admin = setup.adminClient("revoked before the restart", List.of("integration-admin"),
                List.of(env));
        String token = Setup.token(suite, admin.id(), admin.secretValue());
        String clients = "/api/v1/environments/" + env + "/clients";
        given().auth().oauth2(token).get(suite.credentials.url() + clients).then().statusCode(200);

        fillRevocations();
        given().auth().preemptive().basic(admin.id(), admin.secretValue())
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(suite.tokens.url() + "/oauth2/revoke").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> given().auth().oauth2(token).get(suite.credentials.url() + clients).statusCode() == 401);

        ServiceProcess fresh = new ServiceProcess("credentials-service", "credentials-service-revready",
                ServiceProcess.freePort(), suite.env, suite.logs);
        List<String> answers = new ArrayList<>();
        try {
            fresh.launch();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Instant readyAt = null;
            // from the moment the process starts until well after it says it is ready
            while (readyAt == null || Instant.now().isBefore(readyAt.plusSeconds(2))) {
                assertTrue(System.nanoTime() < deadline, "not ready after 120 s: " + fresh.logText());
                boolean ready = fresh.ready();
                int status = status(fresh.url() + clients, token);
                if (status != 0) {
                    answers.add(status + (ready ? " (ready)" : " (not ready)"));
                }
                assertTrue(status != 200, "a fresh replica accepted a revoked token; answers so far: " + answers);
                if (ready && readyAt == null) {
                    readyAt = Instant.now();
                    // ready means the revocation is known
                    assertEquals(401, status(fresh.url() + clients, token), "answers so far: " + answers);
                }
            }
            System.out.println("revoked token on a fresh replica, in order: " + summary(answers));
            assertEquals(401, status(fresh.url() + clients, token));
        } finally {
            fresh.stop();
        }
    }

    @Test
    void aReplicaThatCannotReadTheRevocationsTopicIsNotReadyAndSaysWhy() throws Exception {
        Map<String, String> env = new HashMap<>(suite.env);
        env.put("KEYHOOK_KAFKA_REVOCATIONS_TOPIC", "keyhook.e2e-absent-revocations");
        env.put("KEYHOOK_KAFKA_CREATE_TOPICS", "false");
        ServiceProcess blind = new ServiceProcess("webhook-config-service", "webhook-config-service-blind",
                ServiceProcess.freePort(), env, suite.logs);
        try {
            blind.launch();
            // up and alive, but not ready, and the reason names the topic
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> get(blind.url() + "/q/health/ready", null).body().contains("does not exist"));
            HttpResponse<String> readiness = get(blind.url() + "/q/health/ready", null);
            assertEquals(503, readiness.statusCode(), readiness.body());
            assertEquals(200, get(blind.url() + "/q/health/live", null).statusCode());
            assertTrue(readiness.body().contains("\"keyhook.e2e-absent-revocations\""), readiness.body());
            assertTrue(readiness.body().contains("the topic does not exist"), readiness.body());
            // and it judges no admin token meanwhile
            String operator = setup.operator();
            HttpResponse<String> answer = get(blind.url() + "/api/v1/environments/any/webhooks", operator);
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("revocations_not_loaded"), answer.body());
            assertTrue(answer.headers().firstValue("retry-after").isPresent());
        } finally {
            blind.stop();
        }
    }

    private static void fillRevocations() throws Exception {
        var props = KafkaBroker.shared().clientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        // tokens that have expired anyway: every replica reads them, none keeps them in memory
        String expires = Instant.now().minusSeconds(60).toString();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < FILLER; i++) {
                String jti = "e2e-filler-" + i;
                producer.send(new ProducerRecord<>("keyhook.token-revocations", jti,
                        "{\"kind\":\"token\",\"jti\":\"" + jti + "\",\"tokenExpiresAt\":\"" + expires + "\"}"));
            }
            producer.flush();
        }
    }

    /** The status of an authenticated GET, or 0 while nothing listens yet. */
    private int status(String url, String token) {
        try {
            return get(url, token).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** "401 (not ready) x1, 401 (ready) x30": the answers in order, repeats counted. */
    private static String summary(List<String> answers) {
        StringBuilder out = new StringBuilder();
        String last = null;
        int count = 0;
        for (String a : answers) {
            if (a.equals(last)) {
                count++;
                continue;
            }
            if (last != null) {
                out.append(last).append(" x").append(count).append(", ");
            }
            last = a;
            count = 1;
        }
        return last == null ? "" : out.append(last).append(" x").append(count).toString();
    }
}
