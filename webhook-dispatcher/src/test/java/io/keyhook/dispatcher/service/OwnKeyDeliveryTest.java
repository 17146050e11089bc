package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;

import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.testing.StubHttpServer;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 30: webhooks that sign with keys of their own, delivered to a real HTTP receiver and verified as receivers do:
 * {@code v1a} with the JDK's Ed25519 verifier given only the published {@code whpk_} public key, a webhook's own
 * {@code whsec_} secret with the reference Standard Webhooks library. Every active key signs; a retired one never does;
 * a key that does not decrypt fails that webhook's delivery only.
 */
@QuarkusTest
class OwnKeyDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final LocalKeyFileCipher CIPHER = new LocalKeyFileCipher(
            Path.of("target/test-keys/secret-cipher.keys"));

    record Received(String path, String msgId, String timestamp, String signature, String body) {
    }

    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    static final StubHttpServer RECEIVER = new StubHttpServer(OwnKeyDeliveryTest::receive);

    @Inject
    DeliveryStore store;

    static void receive(HttpExchange ex) throws java.io.IOException {
        RECEIVED.add(new Received(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("webhook-id"),
                ex.getRequestHeaders().getFirst("webhook-timestamp"),
                ex.getRequestHeaders().getFirst("webhook-signature"),
                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        StubHttpServer.respond(ex, 204, "");
    }

    @BeforeEach
    void eventConsumerReads() {
        DispatcherViews.awaitEventConsumer();
    }

    /** A key pair as webhook-config-service makes it: {whpk_ public key, ciphertext of the PKCS#8 private key}. */
    static String[] ed25519(String env) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        String whpk = "whpk_" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, 12, spki.length));
        return new String[] { whpk, CIPHER.encryptNow(env, pair.getPrivate().getEncoded()) };
    }

    static Map<String, Object> key(String id, String kind, String status, String publicKey, String ciphertext) {
        Map<String, Object> k = new java.util.HashMap<>();
        k.put("id", id);
        k.put("kind", kind);
        k.put("status", status);
        k.put("publicKey", publicKey);
        k.put("ciphertext", ciphertext);
        k.put("keyVersion", 1);
        k.put("createdAt", "2026-12-01T10:00:00Z");
        k.put("retiredAt", "retired".equals(status) ? "2026-12-02T10:00:00Z" : null);
        return k;
    }

    static String webhook(String env, String path, String scheme, List<Map<String, Object>> keys) throws Exception {
        String id = SecretGenerator.newId("wh_");
        Map<String, Object> security = new java.util.HashMap<>();
        security.put("method", "standard-webhooks");
        security.put("secretIds", List.of());
        security.put("signatureScheme", scheme);
        security.put("signingKeys", keys);
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", id,
                JSON.writeValueAsString(Map.of("schemaVersion", 1, "id", id, "environment", env, "url",
                        RECEIVER.url() + path, "notificationTypes", List.of("patients.updated"), "paused", false,
                        "security", security, "version", 1)));
        DispatcherViews.awaitWebhook(id, 1);
        return id;
    }

    static String env() {
        return "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
    }

    static List<Received> at(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void everyActiveEd25519KeySignsV1aAndARetiredOneNever() throws Exception {
        String env = env();
        String[] old = ed25519(env);
        String[] current = ed25519(env);
        String[] next = ed25519(env);
        webhook(env, "/v1a", "v1a",
                List.of(key("whk_Old1", "ed25519", "retired", old[0], old[1]),
                        key("whk_Cur1", "ed25519", "active", current[0], current[1]),
                        key("whk_Next1", "ed25519", "active", next[0], next[1])));
        DeliveryFlowTest.event(env, "e-v1a", "patients.updated", "p-1");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !at("/v1a").isEmpty());

        Received r = at("/v1a").get(0);
        String[] signatures = r.signature().split(" ");
        assertEquals(2, signatures.length, r.signature());
        byte[] content = (r.msgId() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8);
        for (String[] k : List.of(current, next)) {
            assertTrue(Arrays.stream(signatures).anyMatch(s -> verifies(k[0], content, s)),
                    "a receiver holding only " + k[0] + " accepts: " + r.signature());
        }
        assertFalse(Arrays.stream(signatures).anyMatch(s -> verifies(old[0], content, s)), "retired keys never sign");
        byte[] tampered = (r.msgId() + "." + r.timestamp() + "." + r.body() + " ").getBytes(StandardCharsets.UTF_8);
        assertFalse(Arrays.stream(signatures).anyMatch(s -> verifies(current[0], tampered, s)));
    }

    @Test
    void aWebhooksOwnSecretSignsV1AsTheReferenceLibraryVerifies() throws Exception {
        String env = env();
        String secret = SecretGenerator.newSecret();
        String ciphertext = CIPHER.encryptNow(env, secret.getBytes(StandardCharsets.UTF_8));
        webhook(env, "/own-secret", null, List.of(key("whk_Sec1", "hmac", "active", null, ciphertext)));
        DeliveryFlowTest.event(env, "e-own", "patients.updated", "p-1");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !at("/own-secret").isEmpty());

        Received r = at("/own-secret").get(0);
        assertTrue(r.signature().startsWith("v1,"), r.signature());
        Map<String, List<String>> headers = Map.of("webhook-id", List.of(r.msgId()), "webhook-timestamp",
                List.of(r.timestamp()), "webhook-signature", List.of(r.signature()));
        new Webhook(secret).verify(r.body(), headers);
    }

    @Test
    void aKeyThatDoesNotDecryptFailsOnlyItsOwnWebhooksDelivery() throws Exception {
        String broken = env();
        String healthy = env();
        String[] other = ed25519("another-environment");
        String[] good = ed25519(healthy);
        // a ciphertext bound to another Environment does not decrypt here
        String brokenId = webhook(broken, "/broken", "v1a",
                List.of(key("whk_Bad1", "ed25519", "active", other[0], other[1])));
        webhook(healthy, "/healthy", "v1a", List.of(key("whk_Good1", "ed25519", "active", good[0], good[1])));
        DeliveryFlowTest.event(broken, "e-broken", "patients.updated", "p-1");
        DeliveryFlowTest.event(healthy, "e-healthy", "patients.updated", "p-1");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !at("/healthy").isEmpty());
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(brokenId, "failed").await().atMost(Duration.ofSeconds(5)) == 1L);
        assertTrue(at("/broken").isEmpty(), "nothing unsigned or wrongly signed is sent");
    }

    /** Before a key is retired: a keyhook.ping signed with only the keys that stay, each as v1a, none other. */
    @Test
    void aPingSignsWithTheNamedOwnKeysOnly() throws Exception {
        String env = env();
        String[] old = ed25519(env);
        String[] current = ed25519(env);
        String id = webhook(env, "/ping-own", "v1a",
                List.of(key("whk_PingOld", "ed25519", "active", old[0], old[1]),
                        key("whk_PingNew", "ed25519", "active", current[0], current[1]),
                        key("whk_PingGone", "ed25519", "retired", old[0], old[1])));
        io.restassured.RestAssured.given().auth().oauth2(io.keyhook.testing.TestTokens.service())
                .contentType("application/json")
                .body(Map.of("signingKeyIds", List.of("whk_PingNew"), "purpose", "key_retire_check"))
                .post("/internal/v1/environments/" + env + "/webhooks/" + id + "/ping").then().statusCode(200)
                .body("delivered", org.hamcrest.Matchers.equalTo(true));
        Received r = at("/ping-own").get(0);
        assertTrue(r.body().contains("\"type\":\"keyhook.ping\""), r.body());
        String[] signatures = r.signature().split(" ");
        assertEquals(1, signatures.length, r.signature());
        byte[] content = (r.msgId() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8);
        assertTrue(verifies(current[0], content, signatures[0]), "signed with the key that stays");
        assertTrue(!verifies(old[0], content, signatures[0]), "not with the one being retired");
        // a retired or unknown key, or both kinds of credential at once, are refused
        for (Map<String, Object> body : List.<Map<String, Object>> of(Map.of("signingKeyIds", List.of("whk_PingGone")),
                Map.of("signingKeyIds", List.of("whk_Nobody")))) {
            io.restassured.RestAssured.given().auth().oauth2(io.keyhook.testing.TestTokens.service())
                    .contentType("application/json").body(body)
                    .post("/internal/v1/environments/" + env + "/webhooks/" + id + "/ping").then().statusCode(422)
                    .body("code", org.hamcrest.Matchers.equalTo("signing_key_not_active"));
        }
        io.restassured.RestAssured.given().auth().oauth2(io.keyhook.testing.TestTokens.service())
                .contentType("application/json")
                .body(Map.of("signingKeyIds", List.of("whk_PingNew"), "secretIds", List.of("sec_x")))
                .post("/internal/v1/environments/" + env + "/webhooks/" + id + "/ping").then().statusCode(422)
                .body("code", org.hamcrest.Matchers.equalTo("validation_failed"));
        assertEquals(1, at("/ping-own").size(), "nothing else was sent");
    }

    static boolean verifies(String whpk, byte[] content, String signature) {
        if (!signature.startsWith("v1a,")) {
            return false;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(whpk.substring("whpk_".length()));
            byte[] spki = new byte[ED25519_SPKI.length + raw.length];
            System.arraycopy(ED25519_SPKI, 0, spki, 0, ED25519_SPKI.length);
            System.arraycopy(raw, 0, spki, ED25519_SPKI.length, raw.length);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(key);
            v.update(content);
            return v.verify(Base64.getDecoder().decode(signature.substring("v1a,".length())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
