package io.keyhook.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;

import io.keyhook.tools.examples.PublishExample;

/**
 * {@code ./keyhook demo}: against a suite started by {@code ./keyhook up}, does what a customer would. It creates an
 * Environment with a client, starts a tiny receiver on this machine, configures a webhook to it, publishes a handful of
 * sample events like an internal data service, and prints what arrived, each signature checked with the reference
 * Standard Webhooks library. Everything goes through the public APIs and Kafka.
 */
public final class Demo {

    /**
     * Where the suite is (from {@code .keyhook/env}). {@code kafka}: the Kafka client settings that reach its broker
     * ({@code bootstrap.servers}, and {@code security.protocol}, {@code sasl.*}, {@code ssl.*} when it is secured).
     */
    public record Settings(String credentialsUrl, String tokenUrl, String webhooksUrl, String dispatcherUrl,
            Properties kafka, String operatorId, String operatorSecret) {

        static Settings fromEnvironment() {
            return new Settings(env("KEYHOOK_CREDENTIALS_URL"), env("KEYHOOK_TOKEN_URL"), env("KEYHOOK_WEBHOOKS_URL"),
                    env("KEYHOOK_DISPATCHER_URL"), kafkaFromEnvironment(), env("KEYHOOK_OPERATOR_CLIENT_ID"),
                    env("KEYHOOK_OPERATOR_CLIENT_SECRET"));
        }

        /**
         * {@code KEYHOOK_KAFKA_BOOTSTRAP}, and the security keys the services read too:
         * {@code KEYHOOK_KAFKA_SASL_MECHANISM} is {@code sasl.mechanism} (the same rule as common KafkaClients).
         */
        static Properties kafkaFromEnvironment() {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env("KEYHOOK_KAFKA_BOOTSTRAP"));
            System.getenv().forEach((name, value) -> {
                String key = name.startsWith("KEYHOOK_KAFKA_")
                        ? name.substring("KEYHOOK_KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.') : "";
                if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                    p.put(key, value);
                }
            });
            return p;
        }

        private static String env(String name) {
            String v = System.getenv(name);
            if (v == null || v.isBlank()) {
                throw new IllegalStateException(name + " is not set: run ./keyhook up first (it writes .keyhook/env)");
            }
            return v;
        }
    }

    /** One delivery the demo's receiver got. */
    public record Arrival(String type, String resourceId, String webhookId, boolean verified) {
    }

    /** What the demo did and saw. */
    public record Outcome(String environment, String clientId, String webhookId, int published, List<Arrival> arrivals,
            List<String> expectedTypes) {

        public long verified() {
            return arrivals.stream().filter(Arrival::verified).count();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Settings s;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Demo(Settings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Outcome o = new Demo(Settings.fromEnvironment(), System.out).run();
        System.exit(o.verified() == o.expectedTypes().size() ? 0 : 1);
    }

    public Outcome run() throws Exception {
        String operator = token(s.operatorId(), s.operatorSecret());
        String env = "demo-" + UUID.randomUUID().toString().substring(0, 6);
        step("1. A Configuration (the data types) and an Environment: " + env);
        call(operator, "PUT", s.credentialsUrl() + "/api/v1/configurations/" + env,
                Map.of("dataTypes", List.of("patients", "appointments")), 201);
        call(operator, "POST", s.credentialsUrl() + "/api/v1/environments",
                Map.of("id", env, "name", "Keyhook demo", "configuration", env), 201);

        step("2. An API client for your app; its secret is shown once");
        JsonNode client = call(operator, "POST", s.credentialsUrl() + "/api/v1/environments/" + env + "/clients",
                Map.of("name", "demo app"), 201);
        String clientId = client.path("clientId").asText();
        String secretId = client.path("secret").path("id").asText();
        String secret = client.path("secret").path("value").asText();
        // the value stays in this process (the receiver verifies with it); it is never printed
        out.println("   client " + clientId + ", secret " + secretId + " (its value came back once, in that response)");
        String appToken = token(clientId, secret);
        out.println("   the app gets access tokens with it: " + appToken.substring(0, 24) + "...");

        List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        Webhook verifier = new Webhook(secret);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/webhook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok;
            try {
                verifier.verify(body,
                        Map.of("webhook-id", List.of(ex.getRequestHeaders().getFirst("webhook-id")),
                                "webhook-timestamp", List.of(ex.getRequestHeaders().getFirst("webhook-timestamp")),
                                "webhook-signature", List.of(ex.getRequestHeaders().getFirst("webhook-signature"))));
                ok = true;
            } catch (Exception e) {
                ok = false;
            }
            JsonNode b = JSON.readTree(body);
            arrivals.add(new Arrival(b.path("type").asText(), b.path("data").path("resourceId").asText(),
                    ex.getRequestHeaders().getFirst("webhook-id"), ok));
            ex.sendResponseHeaders(ok ? 204 : 401, -1);
            ex.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhook";
        try {
            step("3. A receiver on this machine (" + url + ") and a webhook to it, opted into"
                    + " patients.updated and appointments.created only");
            waitFor(() -> call(operator, "GET", s.webhooksUrl() + "/api/v1/environments/" + env + "/notification-types",
                    null, -1).isArray());
            JsonNode webhook = call(operator, "POST", s.webhooksUrl() + "/api/v1/environments/" + env + "/webhooks",
                    Map.of("url", url, "notificationTypes", List.of("patients.updated", "appointments.created"),
                            "security", Map.of("method", "standard-webhooks", "secretIds", List.of(secretId))),
                    201);
            String webhookId = webhook.path("id").asText();

            // the dispatcher learns about the webhook from Kafka a moment later: nudge until it delivers
            long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (arrivals.isEmpty() && System.nanoTime() < ready) {
                // the producer code of docs/publishing-events.md, as is
                PublishExample.publish(s.kafka(), env);
                Thread.sleep(500);
            }
            Thread.sleep(500);
            arrivals.clear();

            step("4. A data service publishes data-change events to keyhook.data-changes");
            List<String[]> events = List.of(new String[] { "patients.updated", "p-100" },
                    new String[] { "patients.created", "p-101" }, new String[] { "appointments.created", "a-7" },
                    new String[] { "patients.updated", "p-100" }, new String[] { "appointments.updated", "a-7" });
            List<String> expected = events.stream().map(e -> e[0])
                    .filter(t -> t.equals("patients.updated") || t.equals("appointments.created")).toList();
            int published = publish(env, events);
            out.println("   " + published + " events (patients.created and appointments.updated are not opted into)");

            step("5. What arrived at the receiver");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (arrivals.size() < expected.size() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(500);
            for (Arrival a : arrivals) {
                out.printf("   %-22s %-6s webhook-id %s  signature %s%n", a.type(), a.resourceId(), a.webhookId(),
                        a.verified() ? "verified" : "NOT VERIFIED");
            }
            out.printf("   %d of %d expected deliveries arrived, %d signatures verified%n", arrivals.size(),
                    expected.size(), arrivals.stream().filter(Arrival::verified).count());

            // the receiver goes away with the demo: pause the webhook so nothing is retried against it
            call(operator, "POST",
                    s.webhooksUrl() + "/api/v1/environments/" + env + "/webhooks/" + webhookId + "/pause", null, 200);
            step("Try next (in a shell with . .keyhook/env):");
            out.println("   TOKEN=$(curl -s -u \"$KEYHOOK_OPERATOR_CLIENT_ID:$KEYHOOK_OPERATOR_CLIENT_SECRET\""
                    + " -d grant_type=client_credentials \"$KEYHOOK_TOKEN_URL\" | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
            out.println("   curl -s -H \"Authorization: Bearer $TOKEN\" \"$KEYHOOK_DISPATCHER_URL/api/v1/environments/"
                    + env + "/webhooks/" + webhookId + "/deliveries\"");
            out.println("   curl -s -H \"Authorization: Bearer $TOKEN\" \"$KEYHOOK_CREDENTIALS_URL/api/v1/environments/"
                    + env + "/clients/" + clientId + "/secrets\"");
            out.println("   ./keyhook rotate " + env + " " + clientId + " " + secretId
                    + "     # guided rotation (the webhook is paused; resume it to see both signatures)");
            out.println(
                    "   or open the console, $KEYHOOK_CONSOLE_URL (http://localhost:8080), sign in as the operator and"
                            + " pick \"" + env + "\"");
            return new Outcome(env, clientId, webhookId, published, new ArrayList<>(arrivals), expected);
        } finally {
            receiver.stop(0);
        }
    }

    private int publish(String env, List<String[]> events) throws Exception {
        Properties p = new Properties();
        p.putAll(s.kafka());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (String[] e : events) {
                String[] parts = e[0].split("\\.");
                Map<String, Object> event = Map.of("specversion", "1.0", "id", UUID.randomUUID().toString(), "source",
                        "/demo/" + parts[0], "type", e[0], "time", Instant.now().toString(), "subject", e[1],
                        "environment", env, "data",
                        Map.of("resource", parts[0], "resourceId", e[1], "action", parts[1], "updatedAt",
                                Instant.now().toString(), "href",
                                "https://api.example.com/v2/" + parts[0] + "/" + e[1]));
                producer.send(new ProducerRecord<>("keyhook.data-changes", env, JSON.writeValueAsString(event))).get(10,
                        TimeUnit.SECONDS);
            }
        }
        return events.size();
    }

    private String token(String id, String secret) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(s.tokenUrl())).header("authorization", "Basic " + basic)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private JsonNode call(String bearer, String method, String url, Object body, int expect) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                    .header("authorization", "Bearer " + bearer);
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("content-type", "application/json").method(method,
                            HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (expect > 0 && r.statusCode() != expect) {
                throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the suite did not get ready in 30 s");
            }
            Thread.sleep(250);
        }
    }

    private void step(String text) {
        out.println();
        out.println(text);
    }
}
