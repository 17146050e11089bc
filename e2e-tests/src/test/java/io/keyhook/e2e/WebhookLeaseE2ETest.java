package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.keyhook.core.crypto.SecretGenerator;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * webhook-config-service, credentials-service and token-service together: the secret a webhook uses cannot be
 * invalidated (409 naming the webhook) until the webhook switches to another one — SPEC.md section 7, steps 4 and 5.
 */
class WebhookLeaseE2ETest {

    static Suite suite;
    static String env;
    static String operator;

    @BeforeAll
    static void setUp() {
        suite = Suite.get();
        operator = given().auth().preemptive().basic(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(suite.tokens.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
        env = "lease-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        admin().body(Map.of("dataTypes", List.of("patients")))
                .put(suite.credentials.url() + "/api/v1/configurations/" + env).then().statusCode(201);
        admin().body(Map.of("id", env, "name", "Lease", "configuration", env))
                .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
        // webhook-config-service learns the Environment from keyhook.environments
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin()
                .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types").statusCode() == 200);
    }

    @Test
    void aSecretInUseCannotBeInvalidatedUntilTheWebhookSwitches() {
        String clients = suite.credentials.url() + "/api/v1/environments/" + env + "/clients";
        Response client = admin().body(Map.of("name", "signer")).post(clients);
        String clientId = client.path("clientId");
        String oldSecret = client.path("secret.id");
        String webhooks = suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks";
        String webhookId = admin()
                .body(Map.of("url", "http://127.0.0.1:9/hook", "notificationTypes", List.of("patients.updated"),
                        "security", Map.of("method", "standard-webhooks", "secretIds", List.of(oldSecret))))
                .post(webhooks).then().statusCode(201).extract().path("id");

        String invalidateOld = clients + "/" + clientId + "/secrets/" + oldSecret + "/invalidate";
        admin().post(invalidateOld).then().statusCode(409).body("code", equalTo("secret_in_use")).body("webhookIds",
                contains(webhookId));

        String newSecret = admin().post(clients + "/" + clientId + "/secrets").then().statusCode(201).extract()
                .path("id");
        // overlap: both sign for a while, then only the new one
        admin().body(
                Map.of("security", Map.of("method", "standard-webhooks", "secretIds", List.of(oldSecret, newSecret))))
                .patch(webhooks + "/" + webhookId).then().statusCode(200);
        admin().post(invalidateOld).then().statusCode(409);
        admin().body(Map.of("security", Map.of("method", "standard-webhooks", "secretIds", List.of(newSecret))))
                .patch(webhooks + "/" + webhookId).then().statusCode(200);
        admin().post(invalidateOld).then().statusCode(200);

        // an invalidated secret cannot be chosen again
        admin().body(Map.of("security", Map.of("method", "standard-webhooks", "secretIds", List.of(oldSecret))))
                .patch(webhooks + "/" + webhookId).then().statusCode(422).body("code", equalTo("secret_not_usable"));
        // deleting the webhook releases the new secret too
        admin().delete(webhooks + "/" + webhookId).then().statusCode(204);
        admin().post(clients + "/" + clientId + "/secrets/" + newSecret + "/invalidate").then().statusCode(200);
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(operator).contentType("application/json");
    }
}
