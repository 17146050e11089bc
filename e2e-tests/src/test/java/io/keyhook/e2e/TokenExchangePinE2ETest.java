package io.keyhook.e2e;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 28, point 4, with the real services: a token-exchange secret is pinned to the site of the first receiver it is
 * sent to. An integration admin who names another App's secret in a webhook of their own, with a token URL on a host
 * they control, is refused (422 secret_pinned_elsewhere naming the site), and the secret's listing and the console's
 * credentials page say where it was sent.
 */
class TokenExchangePinE2ETest {

    static Suite suite;
    static Setup setup;
    static String env;

    @BeforeAll
    static void world() {
        suite = Suite.get();
        suite.console();
        setup = Setup.of(suite);
        env = setup.environment("pin", "Pin", "patients");
    }

    static Map<String, Object> exchange(String host, String secretId) {
        return Map.of("url", "http://" + host + ":9/in", "notificationTypes", List.of("patients.updated"), "security",
                Map.of("method", "token-exchange", "secretIds", List.of(secretId), "tokenUrl",
                        "http://" + host + ":9/oauth2/token"));
    }

    @Test
    void aSecretSentToOneReceiverCannotBeSentToAHostTheAdminControls() {
        Setup.Client app = setup.client(env, "receiver-app");
        String webhooks = suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks";
        String secrets = suite.credentials.url() + "/api/v1/environments/" + env + "/clients/" + app.id() + "/secrets";
        setup.admin().get(secrets).then().body("[0].disclosedTo", nullValue());

        // the receiver's webhook: 127.0.0.1 is the site its secret goes to
        String own = setup.admin().body(exchange("127.0.0.1", app.secretId())).post(webhooks).then().statusCode(201)
                .extract().path("id");
        setup.admin().get(secrets).then().body("[0].disclosedTo", equalTo("127.0.0.1"));

        // the same webhook moved to another host (127.0.0.2: another site), secret and all
        setup.admin().body(exchange("127.0.0.2", app.secretId())).put(webhooks + "/" + own).then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("secret_pinned_elsewhere"))
                .body("detail", containsString("127.0.0.1")).body("disclosedTo." + app.secretId(), equalTo("127.0.0.1"))
                .body("errors[0].field", equalTo("security.secretIds[0]"));
        // gone, the webhook leaves the pin behind: a new webhook on the other host is refused as well
        setup.admin().delete(webhooks + "/" + own).then().statusCode(204);
        setup.admin().body(exchange("127.0.0.2", app.secretId())).post(webhooks).then().statusCode(422).body("code",
                equalTo("secret_pinned_elsewhere"));
        setup.admin().get(secrets).then().body("[0].disclosedTo", equalTo("127.0.0.1"));

        // the console's credentials page shows it on the secret's row
        ConsoleClient console = new ConsoleClient(suite.console().url());
        Setup.Client admin = setup.adminClient("pin console admin", List.of("integration-admin"), List.of(env));
        assertEquals(303, console.signIn(admin.id(), admin.secretValue()).statusCode());
        String page = console.get("/environments/" + env + "/credentials").asString();
        assertTrue(page.contains("id=\"disclosed-" + app.secretId() + "\">Disclosed to <code>127.0.0.1</code>"), page);
    }
}
