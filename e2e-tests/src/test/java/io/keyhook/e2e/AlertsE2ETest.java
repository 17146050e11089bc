package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.SystemPackages;

/**
 * The alerts of {@code deploy/k8s/monitoring} against the running suite: a real Prometheus (Debian's package) scrapes
 * the four services every second and evaluates the rules, then something goes wrong and the matching alert turns
 * {@code firing} in Prometheus's own API. The rules are the PrometheusRule's, with every {@code for} set to 0 s so that
 * the test need not wait minutes (the durations are checked by {@code promtool test rules} in the deploy module).
 */
class AlertsE2ETest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Process prometheus;
    static String prometheusUrl;

    @BeforeAll
    static void startPrometheus() throws Exception {
        SystemPackages.ensure("prometheus", "prometheus");
        Suite suite = Suite.get();
        Path dir = Files.createTempDirectory("keyhook-prometheus");
        JsonNode rule = YAML
                .readTree(ServiceProcess.root().resolve("deploy/k8s/monitoring/prometheus-rule.yaml").toFile());
        JsonNode groups = rule.path("spec").path("groups");
        for (JsonNode group : groups) {
            for (JsonNode r : group.path("rules")) {
                ((ObjectNode) r).put("for", "0s");
            }
        }
        YAML.writeValue(dir.resolve("keyhook.rules.yml").toFile(), Map.of("groups", groups));
        List<Map<String, Object>> targets = new ArrayList<>();
        for (ServiceProcess s : List.of(suite.credentials, suite.tokens, suite.webhooks, suite.dispatcher)) {
            targets.add(Map.of("targets", List.of(URI.create(s.url()).getAuthority()), "labels",
                    Map.of("namespace", "keyhook", "pod", s.name() + "-0")));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", Map.of("scrape_interval", "1s", "evaluation_interval", "1s"));
        config.put("rule_files", List.of(dir.resolve("keyhook.rules.yml").toString()));
        config.put("scrape_configs",
                List.of(Map.of("job_name", "keyhook", "metrics_path", "/q/metrics", "static_configs", targets)));
        YAML.writeValue(dir.resolve("prometheus.yml").toFile(), config);
        int port = ServiceProcess.freePort();
        prometheusUrl = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true).redirectOutput(suite.logs.resolve("prometheus.log").toFile())
                        .start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> query("up").path("data").path("result").size() == 4 && allUp());
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void deadLettersFireTheirAlertWithTheReason() throws Exception {
        // the counters exist at 0 from the dispatcher's start, so the first dead letter is an increase
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> query("keyhook_dispatcher_events_dead_lettered_total{reason=\"not_json\"}").path("data")
                        .path("result").size() == 1);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("keyhook.data-changes", "alerts-env", "{not json")).get(10,
                    TimeUnit.SECONDS);
        }
        JsonNode alert = awaitFiring("KeyhookDeadLettersGrowing", Map.of("reason", "not_json"));
        System.out.println("firing: " + alert);
        assertEquals("warning", alert.path("labels").path("severity").asText());
    }

    @Test
    void aFailingReceiverFiresTheFailedAttemptsAlert() throws Exception {
        Suite suite = Suite.get();
        AtomicInteger hits = new AtomicInteger();
        StubHttpServer receiver = new StubHttpServer(ex -> {
            hits.incrementAndGet();
            StubHttpServer.respond(ex, 500, "down for maintenance");
        });
        Setup setup = Setup.of(suite);
        String env = setup.environment("alerts", "Alerts", "patients");
        setup.webhook(env, receiver.url() + "/hooks", "standard-webhooks", setup.client(env, "alerts").secretId());
        try (KafkaProducer<String, String> producer = producer()) {
            // until the dispatcher's views know the webhook, an event finds nobody: keep publishing
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                producer.send(new ProducerRecord<>("keyhook.data-changes", env, BenchWorld.event(env, "a", null)))
                        .get(10, TimeUnit.SECONDS);
                return hits.get() >= 3;
            });
        }
        JsonNode alert = awaitFiring("KeyhookDeliveryAttemptsFailing", Map.of("namespace", "keyhook"));
        System.out.println("firing: " + alert);
        assertTrue(alert.path("annotations").path("summary").asText().contains("of delivery attempts fail"),
                alert.toString());
    }

    static JsonNode awaitFiring(String name, Map<String, String> labels) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    for (JsonNode a : get("/api/v1/alerts").path("data").path("alerts")) {
                        if (name.equals(a.path("labels").path("alertname").asText())
                                && "firing".equals(a.path("state").asText()) && labels.entrySet().stream().allMatch(
                                        e -> e.getValue().equals(a.path("labels").path(e.getKey()).asText()))) {
                            found[0] = a;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    static boolean allUp() throws IOException, InterruptedException {
        for (JsonNode r : query("up").path("data").path("result")) {
            if (!"1".equals(r.path("value").get(1).asText())) {
                return false;
            }
        }
        return true;
    }

    static JsonNode query(String promql) throws IOException, InterruptedException {
        return get(
                "/api/v1/query?query=" + java.net.URLEncoder.encode(promql, java.nio.charset.StandardCharsets.UTF_8));
    }

    static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    static KafkaProducer<String, String> producer() {
        Properties p = KafkaBroker.shared().clientProperties();
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
