package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.tools.examples.VerifyExamples;

/**
 * The receiver code of docs/verifying-webhooks.md, as printed, on real deliveries: the Java checks (compiled as
 * {@link VerifyExamples}, kept equal to the page by DocsSnippetsTest) and the Node ones (taken from the page and run
 * with node by docs/examples/node/run-snippets.mjs). Each accepts the delivery Keyhook made and refuses it tampered.
 */
class VerifyingDocsE2ETest {

    record Delivery(byte[] body, Map<String, String> headers) {
    }

    @Test
    void theDocumentedReceiverCodeAcceptsRealDeliveriesAndRefusesTamperedOnes() throws Exception {
        Suite suite = Suite.get();
        Map<String, Delivery> received = new ConcurrentHashMap<>();
        StubHttpServer receiver = new StubHttpServer(ex -> {
            Map<String, String> headers = new HashMap<>();
            for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "authorization")) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    headers.put(h, v);
                }
            }
            received.putIfAbsent(ex.getRequestURI().getPath(),
                    new Delivery(ex.getRequestBody().readAllBytes(), headers));
            StubHttpServer.respond(ex, 204, "");
        });
        Setup setup = Setup.of(suite);
        String swUrl = receiver.url() + "/standard-webhooks";
        String jwtUrl = receiver.url() + "/jwt-bearer";
        String[] sw = webhook(setup, "standard-webhooks", swUrl);
        String[] jwt = webhook(setup, "jwt-bearer", jwtUrl);

        Properties p = KafkaBroker.shared().clientProperties();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                for (String env : List.of(sw[0], jwt[0])) {
                    producer.send(
                            new ProducerRecord<>("keyhook.data-changes", env, BenchWorld.event(env, "docs", "p-1")))
                            .get(10, TimeUnit.SECONDS);
                }
                return received.size() == 2;
            });
        }
        Delivery s = received.get("/standard-webhooks");
        Delivery j = received.get("/jwt-bearer");

        // Java, as compiled from the page
        String body = new String(s.body(), StandardCharsets.UTF_8);
        VerifyExamples.standardWebhooks(sw[1], body, s.headers()::get);
        assertThrows(Exception.class, () -> VerifyExamples.standardWebhooks(sw[1], body + " ", s.headers()::get));
        assertThrows(Exception.class, () -> VerifyExamples.standardWebhooks(jwt[1], body, s.headers()::get));
        String authorization = j.headers().get("authorization");
        VerifyExamples.jwtBearer(jwt[1], j.body(), authorization, j.headers()::get, jwtUrl);
        assertThrows(SecurityException.class,
                () -> VerifyExamples.jwtBearer(jwt[1],
                        (new String(j.body(), StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8),
                        authorization, j.headers()::get, jwtUrl));
        assertThrows(SecurityException.class,
                () -> VerifyExamples.jwtBearer(jwt[1], j.body(), authorization, j.headers()::get, swUrl));

        // Node, taken from the page
        Path node = ServiceProcess.root().resolve("docs/examples/node");
        if (!Files.isDirectory(node.resolve("node_modules/standardwebhooks"))) {
            assertEquals(0, run(node, Map.of(), "npm", "ci", "--no-audit", "--no-fund").exit(), "npm ci");
        }
        Path dir = Files.createTempDirectory("verify-docs");
        Path good = Files.write(dir.resolve("good"), s.body());
        Path bad = Files.write(dir.resolve("bad"), (body + " ").getBytes(StandardCharsets.UTF_8));
        Result ok = node(node, 0, good, s, sw[1], swUrl);
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("verified"), ok.out());
        assertNotEquals(0, node(node, 0, bad, s, sw[1], swUrl).exit(), "a tampered body must be refused");
        Path jwtGood = Files.write(dir.resolve("jwt-good"), j.body());
        Path jwtBad = Files.write(dir.resolve("jwt-bad"),
                (new String(j.body(), StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8));
        Result jok = node(node, 1, jwtGood, j, jwt[1], jwtUrl);
        assertEquals(0, jok.exit(), jok.out());
        assertNotEquals(0, node(node, 1, jwtBad, j, jwt[1], jwtUrl).exit(), "a tampered body must be refused");
        assertNotEquals(0, node(node, 1, jwtGood, j, jwt[1], swUrl).exit(), "another URL must be refused");
    }

    record Result(int exit, String out) {
    }

    private static Result node(Path dir, int snippet, Path bodyFile, Delivery d, String secret, String url)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SNIPPET", String.valueOf(snippet));
        env.put("BODY_FILE", bodyFile.toString());
        env.put("HEADERS", new ObjectMapper().writeValueAsString(d.headers()));
        env.put("KEYHOOK_SIGNING_SECRET", secret);
        env.put("MY_URL", url);
        String auth = d.headers().get("authorization");
        if (auth != null) {
            env.put("TOKEN", auth.substring("Bearer ".length()));
        }
        return run(dir, env, "node", "run-snippets.mjs");
    }

    private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        return new Result(process.exitValue(), out);
    }

    /** An Environment with one webhook signed by {@code method}; returns its id and the secret's value. */
    private static String[] webhook(Setup setup, String method, String url) {
        String env = setup.environment("verify", "Verify " + method, "patients");
        Setup.Client client = setup.client(env, method);
        setup.webhook(env, url, method, client.secretId());
        return new String[] { env, client.secretValue() };
    }

}
