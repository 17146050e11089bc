package io.keyhook.e2e;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import com.standardwebhooks.Webhook;

import io.keyhook.core.crypto.SecretGenerator;
import io.restassured.specification.RequestSpecification;

/**
 * What the benchmarks and fault checks set up through the real APIs: W Environments of one Configuration, each with a
 * client, its secret and a standard-webhooks webhook to {@link BenchReceiver} at {@code /w<i>}.
 */
final class BenchWorld {

    final Suite suite;
    final String operator;
    final List<String> envs = new ArrayList<>();
    final Map<String, String> pathOfEnv = new HashMap<>();
    final Map<String, String> secretOfEnv = new HashMap<>();
    final Map<String, String> webhookOfEnv = new HashMap<>();

    private BenchWorld(Suite suite) {
        this.suite = suite;
        this.operator = given().auth().preemptive().basic(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(suite.tokens.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    static BenchWorld create(Suite suite, BenchReceiver receiver, int webhooks) throws Exception {
        BenchWorld w = new BenchWorld(suite);
        String cfg = "bench-" + SecretGenerator.newId("").toLowerCase().substring(0, 6);
        w.admin().body(Map.of("dataTypes", List.of("patients")))
                .put(suite.credentials.url() + "/api/v1/configurations/" + cfg).then().statusCode(201);
        for (int i = 0; i < webhooks; i++) {
            String env = cfg + "-" + i;
            w.envs.add(env);
            w.admin().body(Map.of("id", env, "name", env, "configuration", cfg))
                    .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
            var client = w.admin().body(Map.of("name", "signer"))
                    .post(suite.credentials.url() + "/api/v1/environments/" + env + "/clients").then().statusCode(201)
                    .extract();
            String path = "/w" + cfg + "-" + i;
            String secret = client.path("secret.value");
            w.pathOfEnv.put(env, path);
            w.secretOfEnv.put(env, secret);
            receiver.verifiers.put(path, new Webhook(secret));
            String secretId = client.path("secret.id");
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> w.admin()
                            .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types")
                            .statusCode() == 200);
            String id = w.admin()
                    .body(Map.of("url", "http://127.0.0.1:" + receiver.port() + path, "notificationTypes",
                            List.of("patients.updated"), "security",
                            Map.of("method", "standard-webhooks", "secretIds", List.of(secretId))))
                    .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(201)
                    .extract().path("id");
            w.webhookOfEnv.put(env, id);
        }
        return w;
    }

    RequestSpecification admin() {
        return given().auth().oauth2(operator).contentType("application/json");
    }

    /**
     * Publishes {@code events} events at {@code rate}/s, round-robin over {@code to}, to {@code keyhook.data-changes}.
     * Event n carries {@code <tag>-<n>} (and the publish time) in its resource id; {@code subject} may name its record.
     */
    static void publishPaced(org.apache.kafka.clients.producer.KafkaProducer<String, String> producer, List<String> to,
            int events, int rate, String tag, java.util.function.IntFunction<String> subject) {
        long start = System.nanoTime();
        for (int n = 0; n < events; n++) {
            long due = start + (long) n * 1_000_000_000L / rate;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String env = to.get(n % to.size());
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("keyhook.data-changes", env,
                    event(env, tag + "-" + n, subject == null ? null : env + "/" + subject.apply(n))));
        }
        producer.flush();
    }

    /** A data-change event about {@code subject}; its resource id carries {@code tag} and the publish time. */
    static String event(String env, String tag, String subject) {
        String resourceId = tag + "-" + System.currentTimeMillis();
        return "{\"specversion\":\"1.0\",\"id\":\"" + SecretGenerator.newId("evt_") + "\",\"source\":\"/bench\","
                + "\"type\":\"patients.updated\",\"subject\":\"" + (subject == null ? resourceId : subject)
                + "\",\"environment\":\"" + env + "\",\"data\":{\"resource\":\"patients\",\"resourceId\":\""
                + resourceId + "\",\"action\":\"updated\",\"updatedAt\":\"2026-11-28T10:00:00Z\","
                + "\"href\":\"https://api.example.com/p/" + resourceId + "\"}}";
    }
}
