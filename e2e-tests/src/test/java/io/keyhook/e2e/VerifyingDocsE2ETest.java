package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.tools.examples.ReceiverExample;
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

    /**
     * The page's complete receivers (Java compiled as {@link ReceiverExample}, Node run from the page) hold two
     * secrets, as during a rotation, and the webhook signs with the second only: both accept Keyhook's delivery (so the
     * dispatcher logs it delivered, and the receiver handles it once), and refuse the same body tampered, or with no
     * signature.
     */
    @Test
    void theDocumentedReceiversAcceptARotationsDeliveriesAndRefuseForgedOnes() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        List<byte[]> handled = new CopyOnWriteArrayList<>();
        String javaEnv = setup.environment("recv", "Receiver Java", "patients");
        String[] javaSecrets = twoSecrets(setup, javaEnv);
        HttpServer javaReceiver = ReceiverExample.start(0, List.of(javaSecrets[0], javaSecrets[1]), handled::add);
        String javaUrl = "http://127.0.0.1:" + javaReceiver.getAddress().getPort() + "/keyhook";

        Path node = ServiceProcess.root().resolve("docs/examples/node");
        if (!Files.isDirectory(node.resolve("node_modules/standardwebhooks"))) {
            assertEquals(0, run(node, Map.of(), "npm", "ci", "--no-audit", "--no-fund").exit(), "npm ci");
        }
        String nodeEnv = setup.environment("recv", "Receiver Node", "patients");
        String[] nodeSecrets = twoSecrets(setup, nodeEnv);
        int nodePort = ServiceProcess.freePort();
        Path nodeOut = Files.createTempFile("receiver-node", ".log");
        ProcessBuilder pb = new ProcessBuilder("node", "run-receiver.mjs").directory(node.toFile())
                .redirectErrorStream(true).redirectOutput(nodeOut.toFile());
        pb.environment().put("PORT", String.valueOf(nodePort));
        pb.environment().put("KEYHOOK_SIGNING_SECRETS", nodeSecrets[0] + "," + nodeSecrets[1]);
        Process nodeReceiver = pb.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(nodeOut).contains("listening on " + nodePort));
            String nodeUrl = "http://127.0.0.1:" + nodePort + "/keyhook";
            String javaHook = setup.webhook(javaEnv, javaUrl, "standard-webhooks", javaSecrets[2]);
            String nodeHook = setup.webhook(nodeEnv, nodeUrl, "standard-webhooks", nodeSecrets[2]);

            // the dispatcher learns of the new webhooks from Kafka a moment later: until then an event finds
            // nobody, so publish one to each Environment per second until both receivers have handled one
            Properties p = KafkaBroker.shared().clientProperties();
            List<String> javaEvents = new CopyOnWriteArrayList<>();
            List<String> nodeEvents = new CopyOnWriteArrayList<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new StringSerializer())) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    if (handled.isEmpty()) {
                        String id = "evt-java-" + System.nanoTime();
                        javaEvents.add(id);
                        producer.send(new ProducerRecord<>("keyhook.data-changes", javaEnv, event(javaEnv, id))).get(10,
                                TimeUnit.SECONDS);
                    }
                    if (!Files.readString(nodeOut).contains("received patients.updated ")) {
                        String id = "evt-node-" + System.nanoTime();
                        nodeEvents.add(id);
                        producer.send(new ProducerRecord<>("keyhook.data-changes", nodeEnv, event(nodeEnv, id))).get(10,
                                TimeUnit.SECONDS);
                    }
                    return !handled.isEmpty() && Files.readString(nodeOut).contains("received patients.updated ");
                });
            }
            String javaBody = new String(handled.get(0), StandardCharsets.UTF_8);
            assertTrue(javaEvents.stream().anyMatch(id -> javaBody.contains("\"eventId\":\"" + id + "\"")),
                    "the body carries the publisher's event id: " + javaBody);
            String nodeLog = Files.readString(nodeOut);
            assertTrue(nodeEvents.stream().anyMatch(id -> nodeLog.contains("received patients.updated " + id)),
                    nodeLog);
            for (String[] hook : List.of(new String[] { javaEnv, javaHook }, new String[] { nodeEnv, nodeHook })) {
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                        () -> "delivered".equals(deliveryLog(setup, suite, hook[0], hook[1]).path("items[0].status")));
            }

            // forged: Keyhook's headers on another body, or no signature at all
            HttpClient http = HttpClient.newHttpClient();
            for (String url : List.of(javaUrl, nodeUrl)) {
                String forgedBody = "{\"type\":\"patients.deleted\",\"data\":{}}";
                HttpRequest forged = HttpRequest.newBuilder(URI.create(url)).header("webhook-id", "msg_forged")
                        .header("webhook-timestamp", String.valueOf(System.currentTimeMillis() / 1000))
                        .header("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                        .POST(HttpRequest.BodyPublishers.ofString(forgedBody)).build();
                assertEquals(401, http.send(forged, HttpResponse.BodyHandlers.discarding()).statusCode(), url);
                HttpRequest unsigned = HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.ofString(forgedBody)).build();
                assertEquals(401, http.send(unsigned, HttpResponse.BodyHandlers.discarding()).statusCode(), url);
            }
            assertTrue(
                    handled.stream().noneMatch(b -> new String(b, StandardCharsets.UTF_8).contains("patients.deleted")),
                    "nothing forged was handled");
            assertTrue(!Files.readString(nodeOut).contains("received patients.deleted"), "nothing forged was handled");
        } finally {
            nodeReceiver.destroy();
            javaReceiver.stop(0);
        }
    }

    /**
     * Issue 30, as a receiver sees it: a {@code v1a} webhook during a key rotation (two active keys) and a webhook with
     * a {@code whsec_} secret of its own, on real deliveries. The page's Java ({@link VerifyExamples#v1a}, the JDK's
     * Ed25519) and Node ({@code crypto.verify} from the {@code whpk_} key and from the JWKS) accept the delivery with
     * either key alone and refuse it tampered or with an thirdKey key; the own secret verifies with the reference
     * {@code standardwebhooks} libraries (Java and npm) through the page's {@code v1} code. Once the old key is
     * retired, deliveries carry the new key's signature only.
     */
    @Test
    void v1aAndAWebhooksOwnSecretVerifyWithThePublicKeyOrTheSecretAlone() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        List<Delivery> received = new CopyOnWriteArrayList<>();
        Map<String, Delivery> ownSecretDeliveries = new ConcurrentHashMap<>();
        StubHttpServer receiver = new StubHttpServer(ex -> {
            Map<String, String> headers = new HashMap<>();
            for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
                headers.put(h, ex.getRequestHeaders().getFirst(h));
            }
            Delivery d = new Delivery(ex.getRequestBody().readAllBytes(), headers);
            if (ex.getRequestURI().getPath().equals("/own-secret")) {
                ownSecretDeliveries.putIfAbsent("first", d);
            } else {
                received.add(d);
            }
            StubHttpServer.respond(ex, 204, "");
        });
        String v1aEnv = setup.environment("v1a", "Verify v1a", "patients");
        String ownEnv = setup.environment("own", "Verify own secret", "patients");
        String hooks = suite.webhooks.url() + "/api/v1/environments/";
        var v1a = setup.admin()
                .body(Map.of("url", receiver.url() + "/v1a", "notificationTypes", List.of("patients.updated"),
                        "security", Map.of("method", "standard-webhooks", "signatureScheme", "v1a")))
                .post(hooks + v1aEnv + "/webhooks").then().statusCode(201).extract();
        String v1aHook = v1a.path("id");
        String oldKeyId = v1a.path("security.signingKeys[0].id");
        String oldKey = v1a.path("security.signingKeys[0].publicKey");
        // a rotation's overlap: a second active key; both sign
        String newKey = setup.admin().post(hooks + v1aEnv + "/webhooks/" + v1aHook + "/signing-keys").then()
                .statusCode(201).extract().path("publicKey");
        var listing = setup.admin().get(hooks + v1aEnv + "/webhooks/" + v1aHook + "/signing-keys").then()
                .statusCode(200).extract();
        assertEquals(List.of(oldKey, newKey), listing.path("keys.publicKey"));
        String jwks = new ObjectMapper().writeValueAsString(listing.jsonPath().getMap("jwks"));
        String ownSecret = setup.admin()
                .body(Map.of("url", receiver.url() + "/own-secret", "notificationTypes", List.of("patients.updated"),
                        "security", Map.of("method", "standard-webhooks", "signingSecret", "generated")))
                .post(hooks + ownEnv + "/webhooks").then().statusCode(201).extract()
                .path("security.signingKeys[0].secret");

        Properties p = KafkaBroker.shared().clientProperties();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                producer.send(
                        new ProducerRecord<>("keyhook.data-changes", v1aEnv, BenchWorld.event(v1aEnv, "docs", "p-1")))
                        .get(10, TimeUnit.SECONDS);
                producer.send(
                        new ProducerRecord<>("keyhook.data-changes", ownEnv, BenchWorld.event(ownEnv, "docs", "p-1")))
                        .get(10, TimeUnit.SECONDS);
                return received.stream().anyMatch(d -> d.headers().get("webhook-signature").split(" ").length == 2)
                        && !ownSecretDeliveries.isEmpty();
            });
        }
        Delivery d = received.stream().filter(x -> x.headers().get("webhook-signature").split(" ").length == 2)
                .findFirst().orElseThrow();
        byte[] tampered = (new String(d.body(), StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        // a key added after this delivery was signed: it must not verify it (and signs later deliveries)
        String thirdKey = setup.admin().post(hooks + v1aEnv + "/webhooks/" + v1aHook + "/signing-keys").then()
                .statusCode(201).extract().path("publicKey");

        // Java, as compiled from the page: either key alone verifies (a receiver mid-rotation)
        VerifyExamples.v1a(List.of(oldKey), d.body(), d.headers()::get);
        VerifyExamples.v1a(List.of(newKey), d.body(), d.headers()::get);
        assertThrows(SecurityException.class, () -> VerifyExamples.v1a(List.of(newKey), tampered, d.headers()::get));
        assertThrows(SecurityException.class, () -> VerifyExamples.v1a(List.of(thirdKey), d.body(), d.headers()::get));

        // Node, taken from the page: crypto.verify with the whpk_ key (block 2) and with the JWKS (block 3)
        Path node = ServiceProcess.root().resolve("docs/examples/node");
        if (!Files.isDirectory(node.resolve("node_modules/standardwebhooks"))) {
            assertEquals(0, run(node, Map.of(), "npm", "ci", "--no-audit", "--no-fund").exit(), "npm ci");
        }
        Path dir = Files.createTempDirectory("verify-v1a");
        Path good = Files.write(dir.resolve("good"), d.body());
        Path bad = Files.write(dir.resolve("bad"), tampered);
        for (String key : List.of(oldKey, newKey)) {
            Result ok = node(node, 2, good, d, Map.of("KEYHOOK_PUBLIC_KEYS", key));
            assertEquals(0, ok.exit(), ok.out());
            assertTrue(ok.out().contains("verified"), ok.out());
        }
        assertNotEquals(0, node(node, 2, bad, d, Map.of("KEYHOOK_PUBLIC_KEYS", newKey)).exit(), "tampered");
        assertNotEquals(0, node(node, 2, good, d, Map.of("KEYHOOK_PUBLIC_KEYS", thirdKey)).exit(),
                "a key that did not sign it");
        Result jwk = node(node, 3, good, d, Map.of("KEYHOOK_JWKS", jwks));
        assertEquals(0, jwk.exit(), jwk.out());
        assertNotEquals(0, node(node, 3, bad, d, Map.of("KEYHOOK_JWKS", jwks)).exit(), "tampered");

        // the webhook's own secret: the page's v1 code (reference libraries, Java and npm), given that secret
        Delivery own = ownSecretDeliveries.get("first");
        String ownBody = new String(own.body(), StandardCharsets.UTF_8);
        VerifyExamples.standardWebhooks(ownSecret, ownBody, own.headers()::get);
        assertThrows(Exception.class,
                () -> VerifyExamples.standardWebhooks(ownSecret, ownBody + " ", own.headers()::get));
        Path ownGood = Files.write(dir.resolve("own-good"), own.body());
        Result ownOk = node(node, 0, ownGood, own, Map.of("KEYHOOK_SIGNING_SECRET", ownSecret));
        assertEquals(0, ownOk.exit(), ownOk.out());
        assertNotEquals(0,
                node(node, 0, Files.write(dir.resolve("own-bad"), (ownBody + " ").getBytes(StandardCharsets.UTF_8)),
                        own, Map.of("KEYHOOK_SIGNING_SECRET", ownSecret)).exit(),
                "tampered");

        // the old key retired: deliveries carry the new keys' signatures only, never the old one's
        setup.admin().post(hooks + v1aEnv + "/webhooks/" + v1aHook + "/signing-keys/" + oldKeyId + "/retire").then()
                .statusCode(200);
        received.clear();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                producer.send(
                        new ProducerRecord<>("keyhook.data-changes", v1aEnv, BenchWorld.event(v1aEnv, "docs", "p-2")))
                        .get(10, TimeUnit.SECONDS);
                // the retirement reaches the dispatcher a moment later: wait for a delivery that is signed without it
                return received.stream().anyMatch(
                        x -> x.headers().get("webhook-signature").split(" ").length == 2 && !signedBy(oldKey, x));
            });
        }
        Delivery after = received.stream().filter(x -> !signedBy(oldKey, x)).reduce((a, b) -> b).orElseThrow();
        VerifyExamples.v1a(List.of(newKey), after.body(), after.headers()::get);
        VerifyExamples.v1a(List.of(thirdKey), after.body(), after.headers()::get);
    }

    private static boolean signedBy(String key, Delivery d) {
        try {
            VerifyExamples.v1a(List.of(key), d.body(), d.headers()::get);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static Result node(Path dir, int snippet, Path bodyFile, Delivery d, Map<String, String> extra)
            throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("SNIPPET", String.valueOf(snippet));
        env.put("BODY_FILE", bodyFile.toString());
        env.put("HEADERS", new ObjectMapper().writeValueAsString(d.headers()));
        return run(dir, env, "node", "run-snippets.mjs");
    }

    /** A data-change event with a known CloudEvents id. */
    private static String event(String env, String id) {
        return BenchWorld.event(env, "recv", "p-1").replaceFirst("\"id\":\"evt_[^\"]+\"", "\"id\":\"" + id + "\"");
    }

    /** Two secrets of one new client, as during a rotation: {old value, new value, new id}. */
    private static String[] twoSecrets(Setup setup, String env) {
        Setup.Client client = setup.client(env, "receiver");
        var second = setup.admin().post(
                setup.suite.credentials.url() + "/api/v1/environments/" + env + "/clients/" + client.id() + "/secrets")
                .then().statusCode(201).extract();
        return new String[] { client.secretValue(), second.path("value"), second.path("id") };
    }

    private static io.restassured.response.ExtractableResponse<io.restassured.response.Response> deliveryLog(
            Setup setup, Suite suite, String env, String webhookId) {
        return setup.admin()
                .get(suite.dispatcher.url() + "/api/v1/environments/" + env + "/webhooks/" + webhookId + "/deliveries")
                .then().extract();
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
