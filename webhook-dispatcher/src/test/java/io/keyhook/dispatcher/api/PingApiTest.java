package io.keyhook.dispatcher.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;

import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.Topics;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The verified rotation's proof: a keyhook.ping signed only with the secrets named, checked by a receiver with the
 * reference Standard Webhooks library that knows only the new secret.
 */
@QuarkusTest
class PingApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static volatile String receiverKnows = "";
    static final List<String> BODIES = new CopyOnWriteArrayList<>();
    static final List<String> BASICS = new CopyOnWriteArrayList<>();
    static volatile String expectedBasic = "";

    static final StubHttpServer RECEIVER = new StubHttpServer(ex -> {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        if (path.equals("/token")) {
            String basic = ex.getRequestHeaders().getFirst("authorization");
            BASICS.add(basic);
            StubHttpServer.respond(ex, expectedBasic.equals(basic) ? 200 : 401,
                    "{\"access_token\":\"tok\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
            return;
        }
        BODIES.add(body);
        if (path.equals("/tx")) {
            StubHttpServer.respond(ex,
                    "Bearer tok".equals(ex.getRequestHeaders().getFirst("authorization")) ? 204 : 401, "");
            return;
        }
        try {
            new Webhook(receiverKnows).verify(body,
                    Map.of("webhook-id", List.of(ex.getRequestHeaders().getFirst("webhook-id")), "webhook-timestamp",
                            List.of(ex.getRequestHeaders().getFirst("webhook-timestamp")), "webhook-signature",
                            List.of(ex.getRequestHeaders().getFirst("webhook-signature"))));
            StubHttpServer.respond(ex, 204, "");
        } catch (Exception e) {
            StubHttpServer.respond(ex, 401, "{\"error\":\"bad signature\"}");
        }
    });

    /** {env, webhookId, secretId 1, secret 1, secretId 2, secret 2}: one client, two secrets, both on the webhook. */
    static String[] webhook(String path, String method) throws Exception {
        String env = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        String clientId = SecretGenerator.newId("cl_");
        String[] ids = { SecretGenerator.newId("sec_"), SecretGenerator.newId("sec_") };
        String[] values = { SecretGenerator.newSecret(), SecretGenerator.newSecret() };
        LocalKeyFileCipher cipher = new LocalKeyFileCipher(Path.of("target/test-keys/secret-cipher.keys"));
        StringBuilder secrets = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            secrets.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids[i])
                    .append("\",\"status\":\"active\",\"ciphertext\":\"")
                    .append(cipher.encryptNow(env, values[i].getBytes(StandardCharsets.UTF_8))).append("\"}");
        }
        Topics.send("keyhook.credentials", clientId, "{\"schemaVersion\":1,\"kind\":\"api\",\"clientId\":\"" + clientId
                + "\",\"environment\":\"" + env + "\",\"status\":\"active\",\"secrets\":[" + secrets + "]}");
        String id = SecretGenerator.newId("wh_");
        Map<String, Object> security = method.equals("token-exchange")
                ? Map.of("method", method, "secretIds", List.of(ids[0], ids[1]), "tokenUrl", RECEIVER.url() + "/token")
                : Map.of("method", method, "secretIds", List.of(ids[0], ids[1]));
        Topics.send("keyhook.webhooks", id,
                JSON.writeValueAsString(Map.of("schemaVersion", 1, "id", id, "environment", env, "url",
                        RECEIVER.url() + path, "notificationTypes", List.of("patients.updated"), "paused", false,
                        "security", security, "version", 1)));
        DispatcherViews.awaitWebhookAndSecret(id, 1, ids[1]);
        DispatcherViews.awaitSecret(ids[0]);
        return new String[] { env, id, ids[0], values[0], ids[1], values[1], clientId };
    }

    private static RequestSpecification service() {
        return RestAssured.given().auth().oauth2(TestTokens.service()).contentType(ContentType.JSON);
    }

    private static String pingPath(String env, String webhookId) {
        return "/internal/v1/environments/" + env + "/webhooks/" + webhookId + "/ping";
    }

    @Test
    void aPingSignedOnlyWithTheNewSecretIsDeliveredToAReceiverThatKnowsOnlyIt() throws Exception {
        String[] w = webhook("/sw", "standard-webhooks");
        receiverKnows = w[5];
        service().body(Map.of("secretIds", List.of(w[4]), "purpose", "rotation_check")).post(pingPath(w[0], w[1]))
                .then().statusCode(200).body("delivered", equalTo(true)).body("statusCode", equalTo(204))
                .body("messageId", startsWith("msg_ping_")).body("error", nullValue());
        String body = BODIES.get(BODIES.size() - 1);
        assertEquals("keyhook.ping", JSON.readTree(body).path("type").asText(), body);
        assertEquals("rotation_check", JSON.readTree(body).path("data").path("purpose").asText(), body);
        assertEquals(w[1], JSON.readTree(body).path("data").path("webhookId").asText(), body);
        // signed with the old secret only, the receiver that dropped it refuses: not delivered, its status shown
        service().body(Map.of("secretIds", List.of(w[2]))).post(pingPath(w[0], w[1])).then().statusCode(200)
                .body("delivered", equalTo(false)).body("statusCode", equalTo(401));
    }

    @Test
    void aPingNeverSignsWithASecretTheWebhookDoesNotHoldAndNamesOnlyItsOwnWebhook() throws Exception {
        String[] w = webhook("/sw", "standard-webhooks");
        String[] other = webhook("/sw", "standard-webhooks");
        int before = BODIES.size();
        service().body(Map.of("secretIds", List.of(other[4]))).post(pingPath(w[0], w[1])).then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("secret_not_on_webhook"));
        service().body(Map.of("secretIds", List.of(w[4]))).post(pingPath(other[0], w[1])).then().statusCode(404)
                .body("code", equalTo("webhook_not_found"));
        service().body(Map.of("secretIds", List.of())).post(pingPath(w[0], w[1])).then().statusCode(422).body("code",
                equalTo("validation_failed"));
        service().body(Map.of("secretIds", List.of("sec_\u0000"))).post(pingPath(w[0], w[1])).then().statusCode(422)
                .body("code", equalTo("validation_failed"));
        RestAssured.given().auth().oauth2(TestTokens.admin(w[0])).contentType(ContentType.JSON)
                .body(Map.of("secretIds", List.of(w[4]))).post(pingPath(w[0], w[1])).then().statusCode(403);
        assertEquals(before, BODIES.size(), "nothing was sent");
    }

    @Test
    void aTokenExchangePingFetchesATokenWithTheNamedSecretNotACachedOne() throws Exception {
        String[] w = webhook("/tx", "token-exchange");
        String basicOf = "Basic "
                + Base64.getEncoder().encodeToString((w[6] + ":" + w[5]).getBytes(StandardCharsets.UTF_8));
        expectedBasic = basicOf;
        int before = BASICS.size();
        service().body(Map.of("secretIds", List.of(w[4]))).post(pingPath(w[0], w[1])).then().statusCode(200)
                .body("delivered", equalTo(true));
        // a second ping fetches again: the ping's token is never cached, so it always proves the named secret
        service().body(Map.of("secretIds", List.of(w[4]))).post(pingPath(w[0], w[1])).then().statusCode(200)
                .body("delivered", equalTo(true));
        assertEquals(List.of(basicOf, basicOf), BASICS.subList(before, BASICS.size()));
        // the receiver's token endpoint refuses the old secret: the ping signed with it is not delivered
        service().body(Map.of("secretIds", List.of(w[2]))).post(pingPath(w[0], w[1])).then().statusCode(200)
                .body("delivered", equalTo(false));
        assertTrue(BASICS.size() >= before + 3);
    }
}
