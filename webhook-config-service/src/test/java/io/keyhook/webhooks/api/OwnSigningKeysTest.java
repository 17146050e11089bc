package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static io.keyhook.webhooks.api.WebhookApiTest.base;
import static io.keyhook.webhooks.api.WebhookApiTest.secret;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.testing.TopicReader;
import io.keyhook.webhooks.support.CredentialsStub;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Issue 30: a standard-webhooks webhook that signs with material of its own (an Ed25519 key pair for {@code v1a}, or a
 * {@code whsec_} secret for {@code v1}): made by Keyhook, stored and published only as ciphertext, the public key shown
 * (whpk_ and JWKS), a secret shown once, rotated with overlap, refused in combinations that cannot work.
 */
@QuarkusTest
class OwnSigningKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The X.509 SubjectPublicKeyInfo prefix of every Ed25519 public key. */
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

    @Inject
    EnvironmentView view;

    @Inject
    SecretCipher cipher;

    static Map<String, Object> ownKeyWebhook(Map<String, Object> security) {
        return Map.of("url", "https://receiver.example.com/h", "notificationTypes", List.of("patients.created"),
                "security", security);
    }

    static final Map<String, Object> V1A = Map.of("method", "standard-webhooks", "signatureScheme", "v1a");
    static final Map<String, Object> OWN_SECRET = Map.of("method", "standard-webhooks", "signingSecret", "generated");

    @Test
    void aV1aWebhookGetsAnEd25519KeyWhosePrivateHalfIsOnlyCiphertextAndWhosePublicHalfIsShown() throws Exception {
        String env = Environments.create(view, "patients");
        ExtractableResponse<Response> created = as(env).body(ownKeyWebhook(V1A)).post(base(env)).then().statusCode(201)
                .body("security.signatureScheme", equalTo("v1a")).body("security.secretIds", empty())
                .body("security.signingKeys[0].kind", equalTo("ed25519"))
                .body("security.signingKeys[0].status", equalTo("active"))
                .body("security.signingKeys[0].publicKey", startsWith("whpk_"))
                .body("security.signingKeys[0].secret", nullValue()).extract();
        String id = created.path("id");
        String keyId = created.path("security.signingKeys[0].id");
        String whpk = created.path("security.signingKeys[0].publicKey");
        byte[] raw = Base64.getDecoder().decode(whpk.substring("whpk_".length()));
        assertEquals(32, raw.length, whpk);

        // the JWKS holds the same key, as RFC 8037 writes it
        as(env).get(base(env) + "/" + id + "/signing-keys").then().statusCode(200)
                .body("signatureScheme", equalTo("v1a")).body("keys[0].id", equalTo(keyId))
                .body("keys[0].publicKey", equalTo(whpk)).body("jwks.keys[0].kty", equalTo("OKP"))
                .body("jwks.keys[0].crv", equalTo("Ed25519")).body("jwks.keys[0].alg", equalTo("EdDSA"))
                .body("jwks.keys[0].use", equalTo("sig")).body("jwks.keys[0].kid", equalTo(keyId))
                .body("jwks.keys[0].x", equalTo(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));

        // published with the private key as ciphertext only, which decrypts (bound to the Environment) to the
        // private half of that public key
        JsonNode record = record(id, 1);
        JsonNode key = record.path("security").path("signingKeys").get(0);
        assertEquals("v1a", record.path("security").path("signatureScheme").asText());
        assertEquals(whpk, key.path("publicKey").asText());
        String ciphertext = key.path("ciphertext").asText();
        assertEquals(SecretCipher.keyVersionOf(ciphertext), key.path("keyVersion").asInt());
        byte[] pkcs8 = cipher.decrypt(env, ciphertext).await().atMost(Duration.ofSeconds(10));
        assertFalse(record.toString().contains(Base64.getEncoder().encodeToString(pkcs8)),
                "the private key is never published in the clear");
        PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        byte[] content = "msg_1.1700000000.{}".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(privateKey);
        signer.update(content);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey(raw));
        verifier.update(content);
        assertTrue(verifier.verify(signature), "the published private key is the shown public key's pair");
    }

    @Test
    void aWebhooksOwnSecretIsShownOnceAndStoredAsCiphertext() throws Exception {
        String env = Environments.create(view, "patients");
        ExtractableResponse<Response> created = as(env).body(ownKeyWebhook(OWN_SECRET)).post(base(env)).then()
                .statusCode(201).body("security.signingSecret", equalTo("generated"))
                .body("security.signingKeys[0].kind", equalTo("hmac"))
                .body("security.signingKeys[0].publicKey", nullValue())
                .body("security.signingKeys[0].secret", startsWith("whsec_")).extract();
        String id = created.path("id");
        String secret = created.path("security.signingKeys[0].secret");
        // the same format as client secrets: whsec_ + base64 of 33 random bytes
        assertEquals(33, Base64.getDecoder().decode(secret.substring("whsec_".length())).length);

        String shown = as(env).get(base(env) + "/" + id).then().statusCode(200)
                .body("security.signingKeys[0].secret", nullValue()).extract().asString();
        assertFalse(shown.contains(secret), "never shown again");
        assertFalse(as(env).get(base(env) + "/" + id + "/signing-keys").then().statusCode(200)
                .body("jwks.keys", empty()).extract().asString().contains(secret));
        assertFalse(as(env).get("/api/v1/environments/" + env + "/webhook-audit").asString().contains(secret));

        JsonNode record = record(id, 1);
        assertFalse(record.toString().contains(secret), "never published in the clear");
        String ciphertext = record.path("security").path("signingKeys").get(0).path("ciphertext").asText();
        assertEquals(secret, new String(cipher.decrypt(env, ciphertext).await().atMost(Duration.ofSeconds(10)),
                StandardCharsets.UTF_8));
        assertTrue(cipher.decrypt("another-env", ciphertext).onFailure().recoverWithNull().await()
                .atMost(Duration.ofSeconds(10)) == null, "a ciphertext is bound to its Environment");

        // the PUT of what GET showed changes nothing: the same secret signs, no new one is shown
        Map<String, Object> security = new HashMap<>(OWN_SECRET);
        security.put("secretIds", List.of());
        as(env).body(ownKeyWebhook(security)).put(base(env) + "/" + id).then().statusCode(200)
                .body("security.signingKeys.size()", equalTo(1))
                .body("security.signingKeys[0].id", equalTo(created.path("security.signingKeys[0].id")))
                .body("security.signingKeys[0].secret", nullValue());
    }

    @Test
    void keysRotateWithOverlapAndTheLastActiveOneCannotBeRetired() throws Exception {
        String env = Environments.create(view, "patients");
        ExtractableResponse<Response> created = as(env).body(ownKeyWebhook(V1A)).post(base(env)).then().statusCode(201)
                .extract();
        String id = created.path("id");
        String first = created.path("security.signingKeys[0].id");
        String keys = base(env) + "/" + id + "/signing-keys";

        String second = as(env).post(keys).then().statusCode(201).body("kind", equalTo("ed25519"))
                .body("status", equalTo("active")).body("publicKey", startsWith("whpk_")).extract().path("id");
        as(env).get(keys).then().body("jwks.keys.kid", equalTo(List.of(first, second)));
        JsonNode overlap = record(id, 2);
        assertEquals(2, overlap.path("security").path("signingKeys").size(), "both keys sign during the overlap");

        as(env).post(keys + "/" + first + "/retire").then().statusCode(200)
                .body("keys.find { it.id == '" + first + "' }.status", equalTo("retired"))
                .body("jwks.keys.kid", equalTo(List.of(second)));
        JsonNode retired = record(id, 3).path("security").path("signingKeys").get(0);
        assertEquals("retired", retired.path("status").asText());
        assertFalse(retired.path("retiredAt").isNull());
        as(env).post(keys + "/" + first + "/retire").then().statusCode(200);
        as(env).post(keys + "/" + second + "/retire").then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("last_active_signing_key"));
        as(env).post(keys + "/whk_Unknown1/retire").then().statusCode(404).body("code",
                equalTo("signing_key_not_found"));
        as(env).get("/api/v1/environments/" + env + "/webhook-audit").then()
                .body("items.action", hasItem("webhook.signing-key.add"))
                .body("items.action", hasItem("webhook.signing-key.retire"));

        // at most three active keys
        as(env).post(keys).then().statusCode(201);
        as(env).post(keys).then().statusCode(201);
        as(env).post(keys).then().statusCode(409).body("code", equalTo("too_many_signing_keys"));
    }

    /**
     * Verified retirement: the receiver must accept a keyhook.ping signed with only the keys that stay, or an admin
     * overrides with a reason (recorded and audited).
     */
    @Test
    void aKeyIsRetiredOnlyOnceTheReceiverVerifiesTheKeysThatStayOrWithAReason() throws Exception {
        String env = Environments.create(view, "patients");
        ExtractableResponse<Response> created = as(env).body(ownKeyWebhook(V1A)).post(base(env)).then().statusCode(201)
                .extract();
        String id = created.path("id");
        String first = created.path("security.signingKeys[0].id");
        String keys = base(env) + "/" + id + "/signing-keys";
        String second = as(env).post(keys).then().statusCode(201).extract().path("id");
        try {
            CredentialsStub.shared().pingsDelivered(false);
            int pings = CredentialsStub.shared().pingBodies().size();
            as(env).post(keys + "/" + first + "/retire").then().statusCode(409).contentType("application/problem+json")
                    .body("code", equalTo("retire_not_verified")).body("ping.statusCode", equalTo(401));
            JsonNode ping = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(CredentialsStub.shared().pingBodies().get(pings));
            assertEquals(List.of(second), List.of(ping.path("signingKeyIds").get(0).asText()),
                    "signed with the key that stays only: " + ping);
            assertEquals(1, ping.path("signingKeyIds").size());
            as(env).get(keys).then().body("keys.find { it.id == '" + first + "' }.status", equalTo("active"));
            as(env).body(Map.of("override", true)).post(keys + "/" + first + "/retire").then().statusCode(422)
                    .body("code", equalTo("override_reason_required"));
            as(env).body(Map.of("override", true, "reason", "receiver moved by hand"))
                    .post(keys + "/" + first + "/retire").then().statusCode(200)
                    .body("keys.find { it.id == '" + first + "' }.status", equalTo("retired"));
            as(env).get("/api/v1/environments/" + env + "/webhook-audit").then()
                    .body("items.action", hasItem("webhook.signing-key.retire_override"))
                    .body("items.detail", hasItem(org.hamcrest.Matchers.containsString("receiver moved by hand")));
        } finally {
            CredentialsStub.shared().pingsDelivered(true);
        }
    }

    @Test
    void twoConcurrentRetiresOfTheLastTwoActiveKeysLeaveOneActive() {
        String env = Environments.create(view, "patients");
        ExtractableResponse<Response> created = as(env).body(ownKeyWebhook(OWN_SECRET)).post(base(env)).then()
                .statusCode(201).extract();
        String id = created.path("id");
        String keys = base(env) + "/" + id + "/signing-keys";
        String first = created.path("security.signingKeys[0].id");
        String second = as(env).post(keys).then().statusCode(201).extract().path("id");

        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (String k : List.of(first, second)) {
            calls.add(CompletableFuture
                    .supplyAsync(() -> as(env).post(keys + "/" + k + "/retire").then().extract().statusCode()));
        }
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).sorted().toList();
        assertEquals(List.of(200, 409), statuses);
        as(env).get(keys).then().body("keys.findAll { it.status == 'active' }.size()", equalTo(1));
    }

    @Test
    void aWebhookSwitchesBetweenClientSecretsAndKeysOfItsOwn() throws Exception {
        String env = Environments.create(view, "patients");
        String clientSecret = secret(env);
        String id = as(env)
                .body(ownKeyWebhook(Map.of("method", "standard-webhooks", "secretIds", List.of(clientSecret))))
                .post(base(env)).then().statusCode(201)
                .body("security", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("signingKeys"))).extract()
                .path("id");
        as(env).post(base(env) + "/" + id + "/signing-keys").then().statusCode(409).body("code",
                equalTo("no_own_signing_keys"));
        as(env).get(base(env) + "/" + id + "/signing-keys").then().statusCode(200)
                .body("signatureScheme", equalTo("v1")).body("keys", empty()).body("jwks.keys", empty());

        // to keys of its own: one is made
        String keyId = as(env).body(Map.of("security", V1A)).patch(base(env) + "/" + id).then().statusCode(200)
                .body("security.secretIds", empty()).body("security.signingKeys.size()", equalTo(1)).extract()
                .path("security.signingKeys[0].id");
        assertTrue(record(id, 2).path("security").path("secretIds").isEmpty());
        // the client secret it no longer signs with is no longer leased (credentials-service may invalidate it)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> CredentialsStub.shared().leasesOf(id).isEmpty());
        // the same again: kept
        as(env).body(Map.of("security", V1A)).patch(base(env) + "/" + id).then().statusCode(200)
                .body("security.signingKeys[0].id", equalTo(keyId));
        // to its own secret: the Ed25519 key goes, a secret is made and shown
        as(env).body(Map.of("security", OWN_SECRET)).patch(base(env) + "/" + id).then().statusCode(200)
                .body("security.signingKeys.size()", equalTo(1)).body("security.signingKeys[0].kind", equalTo("hmac"))
                .body("security.signingKeys[0].secret", startsWith("whsec_"));
        // back to client secrets: no own key is left, nothing is published of them
        as(env).body(Map.of("security", Map.of("method", "standard-webhooks", "secretIds", List.of(clientSecret))))
                .patch(base(env) + "/" + id).then().statusCode(200)
                .body("security.secretIds", equalTo(List.of(clientSecret)));
        assertEquals(List.of(clientSecret), CredentialsStub.shared().leasesOf(id), "leased again");
        JsonNode back = record(id, 5);
        assertTrue(back.path("security").path("signingKeys").isMissingNode(), back.toString());
        assertTrue(back.path("security").path("signatureScheme").isMissingNode(), back.toString());
        as(env).get(base(env) + "/" + id + "/signing-keys").then().body("keys", empty());
    }

    @Test
    void combinationsThatCannotWorkAreRefusedWithStableCodesAndNothingIsSaved() {
        String env = Environments.create(view, "patients");
        String s = secret(env);
        record Refused(Map<String, Object> security, int status, String code) {
        }
        List<Refused> refused = List.of(
                new Refused(Map.of("method", "jwt-bearer", "secretIds", List.of(s), "signatureScheme", "v1a"), 400,
                        "signature_scheme_not_applicable"),
                new Refused(Map.of("method", "jwt-bearer", "signingSecret", "generated"), 400,
                        "signature_scheme_not_applicable"),
                new Refused(Map.of("method", "standard-webhooks", "secretIds", List.of(s), "signatureScheme", "v1a"),
                        400, "own_signing_excludes_secret_ids"),
                new Refused(
                        Map.of("method", "standard-webhooks", "secretIds", List.of(s), "signingSecret", "generated"),
                        400, "own_signing_excludes_secret_ids"),
                new Refused(
                        Map.of("method", "standard-webhooks", "signatureScheme", "v1a", "signingSecret", "generated"),
                        400, "v1a_excludes_signing_secret"),
                new Refused(Map.of("method", "standard-webhooks", "signatureScheme", "v2"), 422, "validation_failed"),
                new Refused(Map.of("method", "standard-webhooks", "signingSecret", "mine"), 422, "validation_failed"),
                new Refused(Map.of("method", "standard-webhooks", "signatureScheme", "v1"), 422, "validation_failed"),
                new Refused(Map.of("method", "standard-webhooks"), 422, "validation_failed"));
        for (Refused r : refused) {
            as(env).body(ownKeyWebhook(r.security())).post(base(env)).then().statusCode(r.status())
                    .contentType("application/problem+json").body("code", equalTo(r.code()));
        }
        as(env).get(base(env)).then().body("", empty());
    }

    private static PublicKey publicKey(byte[] raw) throws Exception {
        byte[] spki = new byte[ED25519_SPKI.length + raw.length];
        System.arraycopy(ED25519_SPKI, 0, spki, 0, ED25519_SPKI.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    /** The webhook's record of {@code version} on keyhook.webhooks, once published. */
    private static JsonNode record(String id, long version) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> find(id, version) != null);
        return find(id, version);
    }

    private static JsonNode find(String id, long version) throws Exception {
        for (var r : TopicReader.readAll("keyhook.webhooks")) {
            if (id.equals(r.key()) && r.value() != null) {
                JsonNode n = JSON.readTree(r.value());
                if (n.path("version").asLong() == version) {
                    return n;
                }
            }
        }
        return null;
    }
}
