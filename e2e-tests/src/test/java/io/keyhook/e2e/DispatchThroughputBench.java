package io.keyhook.e2e;

import static io.restassured.RestAssured.given;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;

import io.keyhook.common.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.restassured.specification.RequestSpecification;

/**
 * Preliminary dispatch throughput (bench/dispatch/run): the real services as processes, W webhooks in W Environments
 * pointing at a local receiver that verifies every signature, N events published as fast as the producer goes. Prints
 * deliveries/s end to end and publish-to-receive latency percentiles. Not a test: tagged "bench" and excluded from the
 * normal build.
 */
@Tag("bench")
class DispatchThroughputBench {

    static final int WEBHOOKS = Integer.getInteger("bench.webhooks", 50);
    static final int EVENTS = Integer.getInteger("bench.events", 20_000);

    @Test
    void throughput() throws Exception {
        Suite suite = Suite.get();
        Map<String, String> secretOfPath = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger received = new AtomicInteger();
        AtomicInteger badSignatures = new AtomicInteger();
        AtomicLong lastArrival = new AtomicLong();
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        Map<String, Boolean> warmed = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        receiver.setExecutor(Executors.newFixedThreadPool(32));
        receiver.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            try {
                new Webhook(secretOfPath.get(ex.getRequestURI().getPath())).verify(body,
                        Map.of("webhook-id", List.of(ex.getRequestHeaders().getFirst("webhook-id")),
                                "webhook-timestamp", List.of(ex.getRequestHeaders().getFirst("webhook-timestamp")),
                                "webhook-signature", List.of(ex.getRequestHeaders().getFirst("webhook-signature"))));
            } catch (Exception e) {
                badSignatures.incrementAndGet();
            }
            warmed.put(ex.getRequestURI().getPath(), true);
            int at = body.indexOf("\"resourceId\":\"b-");
            if (at >= 0 && seen.putIfAbsent(ex.getRequestHeaders().getFirst("webhook-id"), true) == null) {
                String id = body.substring(at + 16, body.indexOf('"', at + 16));
                latencies.add(now - Long.parseLong(id.substring(id.lastIndexOf('-') + 1)));
                received.incrementAndGet();
                lastArrival.set(now);
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();

        String operator = given().auth().preemptive().basic(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(suite.tokens.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
        String cfg = "bench-" + SecretGenerator.newId("").toLowerCase().substring(0, 6);
        admin(operator).body(Map.of("dataTypes", List.of("patients")))
                .put(suite.credentials.url() + "/api/v1/configurations/" + cfg).then().statusCode(200);
        List<String> envs = new ArrayList<>();
        for (int i = 0; i < WEBHOOKS; i++) {
            String env = cfg + "-" + i;
            envs.add(env);
            admin(operator).body(Map.of("id", env, "name", env, "configuration", cfg))
                    .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
            var client = admin(operator).body(Map.of("name", "signer"))
                    .post(suite.credentials.url() + "/api/v1/environments/" + env + "/clients").then().statusCode(201)
                    .extract();
            secretOfPath.put("/w" + i, client.path("secret.value"));
            String secretId = client.path("secret.id");
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> admin(operator)
                            .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types")
                            .statusCode() == 200);
            admin(operator)
                    .body(Map.of("url", base + "/w" + i, "notificationTypes", List.of("patients.updated"), "security",
                            Map.of("method", "standard-webhooks", "secretIds", List.of(secretId))))
                    .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(201);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            // warm-up: one event per Environment until every webhook got one (the dispatcher's views caught up)
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                for (String env : envs) {
                    producer.send(new ProducerRecord<>("keyhook.data-changes", env, event(env, "w-0")));
                }
                producer.flush();
                return warmed.size() >= WEBHOOKS;
            });
            Thread.sleep(2000);
            received.set(0);
            latencies.clear();
            long start = System.currentTimeMillis();
            for (int n = 0; n < EVENTS; n++) {
                String env = envs.get(n % WEBHOOKS);
                producer.send(new ProducerRecord<>("keyhook.data-changes", env,
                        event(env, "b-" + n + "-" + System.currentTimeMillis())));
            }
            producer.flush();
            long published = System.currentTimeMillis();
            Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> received.get() >= EVENTS);
            long seconds = lastArrival.get() - start;
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf(
                    "%nRESULT dispatch: %d events to %d webhooks; published in %.1f s; all received after"
                            + " %.1f s -> %.0f deliveries/s end to end; publish->receive p50 %d ms, p99 %d ms;"
                            + " bad signatures %d%n%n",
                    EVENTS, WEBHOOKS, (published - start) / 1000.0, seconds / 1000.0, EVENTS * 1000.0 / seconds,
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 99 / 100), badSignatures.get());
            // where the time went, from the dispatcher's own delivery log
            try (var c = io.keyhook.testing.Postgres.server().connect("keyhook_e2e"); var st = c.createStatement();
                    var rs = st.executeQuery("select count(*), avg(a.latency_ms),"
                            + " percentile_cont(0.99) within group (order by a.latency_ms),"
                            + " avg(extract(epoch from (a.started_at - d.created_at)) * 1000)"
                            + " from dispatcher.attempts a join dispatcher.deliveries d on d.id = a.delivery_id"
                            + " where d.environment like '" + cfg + "-%'")) {
                rs.next();
                System.out.printf(
                        "RESULT breakdown: %d attempts; HTTP latency avg %.1f ms, p99 %.1f ms;"
                                + " stored->attempt started avg %.0f ms%n",
                        rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4));
            }
        } finally {
            receiver.stop(0);
        }
    }

    private static String event(String env, String resourceId) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + SecretGenerator.newId("evt_") + "\",\"source\":\"/bench\","
                + "\"type\":\"patients.updated\",\"subject\":\"" + resourceId + "\",\"environment\":\"" + env
                + "\",\"data\":{\"resource\":\"patients\",\"resourceId\":\"" + resourceId + "\",\"action\":\"updated\","
                + "\"updatedAt\":\"2026-11-28T10:00:00Z\",\"href\":\"https://api.example.com/p/" + resourceId + "\"}}";
    }

    private static RequestSpecification admin(String token) {
        return given().auth().oauth2(token).contentType("application/json");
    }
}
