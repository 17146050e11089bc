package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.keyhook.core.crypto.SecretGenerator;
import io.restassured.response.Response;

/**
 * credentials-service and token-service together, as processes: admin login through token-service, secrets active the
 * moment they are created, invalidation biting within a second, and tokens still issued while credentials-service is
 * down.
 */
// also in the secured pass: the connections it crosses are listed in e2e-tests/README.md
@Tag("secured-infra")
class TokenExchangeE2ETest {

    static Suite suite;
    static String env;

    @BeforeAll
    static void setUp() {
        suite = Suite.get();
        String operator = token(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET).then().statusCode(200).extract()
                .path("access_token");
        env = "e2e-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        admin(operator).body(Map.of("dataTypes", java.util.List.of("patients")))
                .put(suite.credentials.url() + "/api/v1/configurations/e2e").then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        admin(operator).body(Map.of("id", env, "name", "E2E", "configuration", "e2e"))
                .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
    }

    @Test
    void everyNewSecretWorksTheMomentItsCreationResponseArrives() {
        String operator = operatorToken();
        for (int i = 0; i < 10; i++) {
            Response client = admin(operator).body(Map.of("name", "app-" + i)).post(clients());
            client.then().statusCode(201);
            token(client.path("clientId"), client.path("secret.value")).then().statusCode(200);
            Response second = admin(operator).post(clients() + "/" + client.path("clientId") + "/secrets");
            second.then().statusCode(201);
            token(client.path("clientId"), second.path("value")).then().statusCode(200);
        }
    }

    @Test
    void invalidatingASecretStopsItWithinOneSecond() {
        String operator = operatorToken();
        Response client = admin(operator).body(Map.of("name", "rotating")).post(clients());
        String id = client.path("clientId");
        String oldSecret = client.path("secret.value");
        String oldToken = token(id, oldSecret).then().statusCode(200).extract().path("access_token");
        Response fresh = admin(operator).post(clients() + "/" + id + "/secrets");
        String newSecret = fresh.path("value");

        long start = System.nanoTime();
        admin(operator).post(clients() + "/" + id + "/secrets/" + client.path("secret.id") + "/invalidate").then()
                .statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25))
                .until(() -> token(id, oldSecret).statusCode() == 401);
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25))
                .until(() -> Boolean.FALSE.equals(introspect(id, newSecret, oldToken).path("active")));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 1000, "invalidation took " + ms + " ms to bite");
        token(id, newSecret).then().statusCode(200);
    }

    @Test
    void knownClientsGetTokensWhileCredentialsServiceIsDown() {
        String operator = operatorToken();
        Response client = admin(operator).body(Map.of("name", "steady")).post(clients());
        String id = client.path("clientId");
        String secret = client.path("secret.value");
        // let the topic deliver it to the view before taking credentials-service away
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> token(id, secret).statusCode() == 200);
        suite.credentials.stop();
        try {
            for (int i = 0; i < 5; i++) {
                token(id, secret).then().statusCode(200);
            }
            token(id, "whsec_wrong").then().statusCode(401).body("error", equalTo("invalid_client"));
            assertEquals(200, given().get(suite.tokens.url() + "/q/health/ready").statusCode());
        } finally {
            suite.credentials.start();
        }
    }

    @Test
    void apiClientTokensNeverOpenTheAdminApi() {
        Response client = admin(operatorToken()).body(Map.of("name", "nosy")).post(clients());
        String apiToken = token(client.path("clientId"), client.path("secret.value")).path("access_token");
        given().auth().oauth2(apiToken).get(suite.credentials.url() + "/api/v1/environments").then().statusCode(401);
    }

    private static String clients() {
        return suite.credentials.url() + "/api/v1/environments/" + env + "/clients";
    }

    private static String operatorToken() {
        return token(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET).path("access_token");
    }

    private static Response token(String id, String secret) {
        return given().auth().preemptive().basic(id, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post(suite.tokens.url() + "/oauth2/token");
    }

    private static Response introspect(String id, String secret, String token) {
        return given().auth().preemptive().basic(id, secret).contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post(suite.tokens.url() + "/oauth2/introspect");
    }

    private static io.restassured.specification.RequestSpecification admin(String token) {
        return given().auth().oauth2(token).contentType("application/json");
    }
}
