package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.tools.examples.VerifyExamples;

/**
 * The asymmetric chain rotated under load, on the real suite: a {@code v1a} webhook's Ed25519 key (add a key, the
 * receiver takes its public key, a verified retirement of the old one, the receiver drops it) while events stream, and
 * a {@code private_key_jwt} client's key through the guided key rotation (start: old and new registered, the app moves
 * over, finish once the checks pass: the new key alone) while the app keeps asking for tokens. Nothing may fail to
 * verify, no event may be lost, and no correct token request may be refused.
 */
class AsymmetricRotationUnderLoadE2ETest {

    private static final Pattern NUMBERED = Pattern.compile("\"resourceId\":\"(r\\d+)\"");

    @Test
    void aV1aWebhookKeyRotatesWithNoFailedVerificationAndNoLostEvent() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        Set<String> receiverKeys = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger failedVerifications = new AtomicInteger();
        AtomicBoolean warmedUp = new AtomicBoolean();
        AtomicInteger signedByNewAlone = new AtomicInteger();
        Map<String, String> newest = new ConcurrentHashMap<>();
        StubHttpServer receiver = new StubHttpServer(ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new HashMap<>();
            for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
                headers.put(h, ex.getRequestHeaders().getFirst(h));
            }
            // the receiver accepts a delivery any of the public keys it holds verifies
            if (!verifiesWithAny(List.copyOf(receiverKeys), body, headers)) {
                failedVerifications.incrementAndGet();
                StubHttpServer.respond(ex, 401, "{}");
                return;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            String next = newest.get("key");
            if (next != null && headers.get("webhook-signature").split(" ").length == 1
                    && verifiesWithAny(List.of(next), body, headers) && !text.contains("\"keyhook.ping\"")) {
                signedByNewAlone.incrementAndGet();
            }
            Matcher m = NUMBERED.matcher(text);
            if (m.find()) {
                received.add(m.group(1));
            } else {
                warmedUp.set(true);
            }
            StubHttpServer.respond(ex, 204, "");
        });
        String env = setup.environment("av1a", "Asymmetric v1a", "patients");
        String hooks = suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks";
        var created = setup.admin()
                .body(Map.of("url", receiver.url() + "/hooks", "notificationTypes", List.of("patients.updated"),
                        "security", Map.of("method", "standard-webhooks", "signatureScheme", "v1a")))
                .post(hooks).then().statusCode(201).extract();
        String hook = created.path("id");
        String oldKeyId = created.path("security.signingKeys[0].id");
        String oldKey = created.path("security.signingKeys[0].publicKey");
        receiverKeys.add(oldKey);

        AtomicBoolean streaming = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Properties p = KafkaBroker.shared().clientProperties();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                producer.send(new ProducerRecord<>("keyhook.data-changes", env, event(env, "warm"))).get();
                return warmedUp.get();
            });
            Thread publisher = new Thread(() -> {
                while (streaming.get()) {
                    producer.send(new ProducerRecord<>("keyhook.data-changes", env,
                            event(env, "r" + sent.incrementAndGet())));
                    RotationHarness.sleep(20);
                }
                producer.flush();
            }, "v1a-events");
            publisher.start();

            // 1. a new key: both sign from now on; the receiver adds its public key
            var added = setup.admin().post(hooks + "/" + hook + "/signing-keys").then().statusCode(201).extract();
            String newKey = added.path("publicKey");
            receiverKeys.add(newKey);
            newest.put("key", newKey);
            // 2. the old key is retired once the receiver verifies the new one alone (the retirement's own ping)
            setup.admin().post(hooks + "/" + hook + "/signing-keys/" + oldKeyId + "/retire").then().statusCode(200);
            // 3. the receiver drops the old key once deliveries carry the new signature alone, plus in-flight time
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> signedByNewAlone.get() > 0);
            RotationHarness.sleep(2000);
            receiverKeys.remove(oldKey);
            RotationHarness.sleep(2000);
            streaming.set(false);
            publisher.join();
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= sent.get());
        System.out.printf(
                "%nRESULT v1a key rotation under load: %d events sent, %d delivered, failed verifications %d,"
                        + " lost %d%n%n",
                sent.get(), received.size(), failedVerifications.get(), sent.get() - received.size());
        assertEquals(0, failedVerifications.get(), "the receiver never saw a signature it could not verify");
        assertEquals(sent.get(), received.size(), "nothing lost");
        setup.admin().get(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhook-audit").then()
                .statusCode(200).body("items.action", org.hamcrest.Matchers.hasItem("webhook.signing-key.retire"));
    }

    @Test
    void aPrivateKeyJwtClientsKeyRotatesWithNoRefusedTokenRequest() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        String env = setup.environment("apk", "Asymmetric client", "patients");
        String clients = suite.credentials.url() + "/api/v1/environments/" + env + "/clients";
        String tokenEndpoint = given().get(suite.tokens.url() + "/.well-known/oauth-authorization-server").then()
                .statusCode(200).extract().path("token_endpoint");
        ECKey oldKey = new ECKeyGenerator(Curve.P_384).keyID("app-2026-11").generate();
        ECKey newKey = new ECKeyGenerator(Curve.P_384).keyID("app-2026-12").generate();
        String clientId = setup.admin()
                .body(Map.of("name", "backend app", "authMethod", "private_key_jwt", "jwks",
                        Map.of("keys", List.of(oldKey.toPublicJWK().toJSONObject()))))
                .post(clients).then().statusCode(201).extract().path("clientId");

        // the app asks for a token every 50 ms with whatever key it holds now
        Map<String, ECKey> current = new ConcurrentHashMap<>(Map.of("key", oldKey));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger issued = new AtomicInteger();
        List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread app = new Thread(() -> {
            while (running.get()) {
                var r = given().contentType("application/x-www-form-urlencoded")
                        .formParam("grant_type", "client_credentials")
                        .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                        .formParam("client_assertion", assertion(current.get("key"), clientId, tokenEndpoint))
                        .post(suite.tokens.url() + "/oauth2/token");
                if (r.statusCode() == 200) {
                    issued.incrementAndGet();
                } else {
                    refused.add(r.statusCode() + " " + r.asString());
                }
                RotationHarness.sleep(50);
            }
        }, "pkjwt-app");
        app.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> issued.get() >= 5 || !refused.isEmpty());
            // the guided key rotation: 1. start (the new key is registered beside the old one at once); 2. the app
            // moves to the new one; 3. once the checks pass (the new key used, the old one quiet), finish without
            // override: the old key is removed
            String rotations = clients + "/" + clientId + "/key-rotations";
            String rotation = setup.admin()
                    .body(Map.of("oldKid", oldKey.getKeyID(), "newKey", newKey.toPublicJWK().toJSONObject()))
                    .post(rotations).then().statusCode(201).body("status", org.hamcrest.Matchers.equalTo("open"))
                    .extract().path("id");
            current.put("key", newKey);
            int before = issued.get();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> issued.get() >= before + 5);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> setup.admin().get(rotations + "/" + rotation).then().statusCode(200).extract()
                            .jsonPath().getList("checks.passed").equals(List.of(true, true)));
            setup.admin().post(rotations + "/" + rotation + "/finish").then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("finished"))
                    .body("override", org.hamcrest.Matchers.nullValue());
            setup.admin().get(clients + "/" + clientId).then().statusCode(200).body("keys.kid",
                    org.hamcrest.Matchers.contains(newKey.getKeyID()));
            int after = issued.get();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> issued.get() >= after + 5);
        } finally {
            running.set(false);
            app.join();
        }
        System.out.printf("%nRESULT private_key_jwt key rotation under load: %d tokens issued, %d refused%n%n",
                issued.get(), refused.size());
        assertEquals(List.of(), refused, "no correct token request refused");
        // the old key no longer opens anything (token-service reads the change within about a second); the new key's
        // use is listed
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> given().contentType("application/x-www-form-urlencoded")
                        .formParam("grant_type", "client_credentials")
                        .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                        .formParam("client_assertion", assertion(oldKey, clientId, tokenEndpoint))
                        .post(suite.tokens.url() + "/oauth2/token").statusCode() == 401);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> setup.admin().get(clients + "/" + clientId).then().extract().path("keys[0].lastUsedAt") != null);
    }

    private static String assertion(ECKey key, String clientId, String audience) {
        try {
            long now = System.currentTimeMillis();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                    new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                            .jwtID(SecretGenerator.newId("jti_")).issueTime(new Date(now))
                            .expirationTime(new Date(now + 60_000)).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean verifiesWithAny(List<String> keys, byte[] body, Map<String, String> headers) {
        try {
            VerifyExamples.v1a(keys, body, headers::get);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String event(String env, String resourceId) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + SecretGenerator.newId("evt_") + "\",\"source\":\"/patients\","
                + "\"type\":\"patients.updated\",\"subject\":\"" + resourceId + "\",\"environment\":\"" + env
                + "\",\"data\":{\"resource\":\"patients\",\"resourceId\":\"" + resourceId + "\",\"action\":\"updated\","
                + "\"updatedAt\":\"2026-11-28T10:00:00Z\",\"href\":\"https://api.example.com/patients/" + resourceId
                + "\"}}";
    }
}
