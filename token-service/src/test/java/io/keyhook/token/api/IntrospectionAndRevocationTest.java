package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.from;
import static io.keyhook.token.support.OAuth.newAddress;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.testing.TopicReader;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** RFC 7662 and RFC 7009, and what invalidating a secret or disabling a client does to issued tokens. */
@QuarkusTest
class IntrospectionAndRevocationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CredentialView view;

    private TestClients.Client known(String env) {
        return Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(env)));
    }

    private static Response introspect(TestClients.Client caller, String token) {
        return from(newAddress()).auth().preemptive().basic(caller.clientId(), caller.secret().value())
                .formParam("token", token).post("/oauth2/introspect");
    }

    @Test
    void anIssuedTokenIntrospectsActiveUntilRevoked() {
        TestClients.Client c = known(TestClients.environment());
        String token = basic(c).path("access_token");
        introspect(c, token).then().statusCode(200).header("Cache-Control", "no-store").body("active", equalTo(true))
                .body("client_id", equalTo(c.clientId())).body("env", equalTo(c.environment()))
                .body("token_type", equalTo("Bearer")).body("scope", equalTo("read write"));

        from(newAddress()).auth().preemptive().basic(c.clientId(), c.secret().value()).formParam("token", token)
                .formParam("token_type_hint", "access_token").post("/oauth2/revoke").then().statusCode(200);
        introspect(c, token).then().statusCode(200).body("active", equalTo(false)).body("client_id", equalTo(null));
        // revoking again, or revoking garbage, is still 200 (RFC 7009 section 2.2)
        from(newAddress()).auth().preemptive().basic(c.clientId(), c.secret().value()).formParam("token", token)
                .post("/oauth2/revoke").then().statusCode(200);
        from(newAddress()).auth().preemptive().basic(c.clientId(), c.secret().value()).formParam("token", "garbage")
                .post("/oauth2/revoke").then().statusCode(200);
    }

    @Test
    void aClientCannotRevokeAnotherClientsTokenNorSeeAnotherEnvironments() {
        String env = TestClients.environment();
        TestClients.Client owner = known(env);
        TestClients.Client sameEnv = known(env);
        TestClients.Client otherEnv = known(TestClients.environment());
        String token = basic(owner).path("access_token");

        from(newAddress()).auth().preemptive().basic(sameEnv.clientId(), sameEnv.secret().value())
                .formParam("token", token).post("/oauth2/revoke").then().statusCode(400)
                .body("error", equalTo("unauthorized_client"));
        introspect(sameEnv, token).then().body("active", equalTo(true));
        introspect(otherEnv, token).then().body("active", equalTo(false));
        introspect(owner, "not.a.token").then().body("active", equalTo(false));
        // the caller must authenticate
        from(newAddress()).formParam("token", token).post("/oauth2/introspect").then().statusCode(401).body("error",
                equalTo("invalid_client"));
        from(newAddress()).auth().preemptive().basic(owner.clientId(), "whsec_wrong").formParam("token", token)
                .post("/oauth2/introspect").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void invalidatingASecretBitesWithinOneSecondAndIsPublished() throws Exception {
        String env = TestClients.environment();
        TestClients.Client c = known(env);
        TestClients.Client resourceServer = known(env);
        TestClients.Client rotated = Views.awaitKnown(view, TestClients.publish(c.withSecret()));
        String oldToken = basic(rotated).path("access_token");
        String newToken = basic(newAddress(), rotated.clientId(), rotated.secrets().get(1).value())
                .path("access_token");

        long start = System.nanoTime();
        TestClients.publish(rotated.invalidate(rotated.secret().id()));
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> basic(rotated).statusCode() == 401);
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> Boolean.FALSE.equals(introspect(resourceServer, oldToken).path("active")));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs < 1000, "took " + elapsedMs + " ms");
        // the other secret and its tokens are untouched
        introspect(resourceServer, newToken).then().body("active", equalTo(true));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> revocationsOf(rotated.secret().id()).size() == 1);
        JsonNode record = revocationsOf(rotated.secret().id()).get(0);
        assertTrue(record.path("kind").asText().equals("secret"));
        assertTrue(record.path("reason").asText().equals("secret_invalidated"));
        assertTrue(record.path("clientId").asText().equals(rotated.clientId()));
    }

    @Test
    void disablingAClientRevokesEveryTokenOfIt() {
        String env = TestClients.environment();
        TestClients.Client c = Views.awaitKnown(view, TestClients.publish(known(env).withSecret()));
        TestClients.Client resourceServer = known(env);
        String token = basic(c).path("access_token");
        TestClients.publish(c.disable());
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> Boolean.FALSE.equals(introspect(resourceServer, token).path("active")));
        basic(c).then().statusCode(401);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> revocationsOf(c.secrets().get(0).id()).size() == 1
                && revocationsOf(c.secrets().get(1).id()).size() == 1);
        assertTrue(revocationsOf(c.secrets().get(1).id()).get(0).path("reason").asText().equals("client_disabled"));
    }

    private static List<JsonNode> revocationsOf(String secretId) {
        return TopicReader.readAll("keyhook.token-revocations").stream().filter(r -> secretId.equals(r.key()))
                .map(IntrospectionAndRevocationTest::parse).toList();
    }

    private static JsonNode parse(ConsumerRecord<String, String> r) {
        try {
            return JSON.readTree(r.value());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
