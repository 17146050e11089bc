package io.keyhook.e2e;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import io.keyhook.core.crypto.SecretGenerator;
import io.restassured.specification.RequestSpecification;

/**
 * The set-up calls a test makes before its own steps, as a platform operator and an integration admin make them over
 * HTTP: an operator token, an Environment on its own Configuration, a client with its first secret, a webhook.
 */
final class Setup {

    /** A client and its first secret, whose value is shown once. */
    record Client(String id, String secretId, String secretValue) {
    }

    /** Admin tokens live 15 minutes: a set-up used for longer (the scale benchmark) signs in again before that. */
    private static final Duration OPERATOR_TOKEN_REUSE = Duration.ofMinutes(10);

    final Suite suite;
    private volatile String operator;
    private volatile long operatorSince;

    private Setup(Suite suite) {
        this.suite = suite;
        signIn();
    }

    /** Signs in as the bootstrap operator. */
    static Setup of(Suite suite) {
        return new Setup(suite);
    }

    /** The operator's current admin token. */
    String operator() {
        if (System.nanoTime() - operatorSince > OPERATOR_TOKEN_REUSE.toNanos()) {
            signIn();
        }
        return operator;
    }

    private synchronized void signIn() {
        operatorSince = System.nanoTime();
        operator = token(suite, Suite.OPERATOR_ID, Suite.OPERATOR_SECRET);
    }

    /** A {@code client_credentials} token for any client. */
    static String token(Suite suite, String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post(suite.tokens.url() + "/oauth2/token").then()
                .statusCode(200).extract().path("access_token");
    }

    RequestSpecification admin() {
        return given().auth().oauth2(operator()).contentType("application/json");
    }

    /**
     * A new Environment ({@code prefix-xxxxxx}) on a Configuration of the same name offering {@code dataTypes}; returns
     * once webhook-config-service knows it.
     */
    String environment(String prefix, String name, String... dataTypes) {
        String env = prefix + "-" + SecretGenerator.newId("").toLowerCase().substring(0, 6);
        return environmentNamed(env, name, dataTypes);
    }

    /** The same, with an exact id. */
    String environmentNamed(String env, String name, String... dataTypes) {
        admin().body(Map.of("dataTypes", List.of(dataTypes)))
                .put(suite.credentials.url() + "/api/v1/configurations/" + env).then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        admin().body(Map.of("id", env, "name", name, "configuration", env))
                .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin()
                .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types").statusCode() == 200);
        return env;
    }

    Client client(String env, String name) {
        var r = admin().body(Map.of("name", name))
                .post(suite.credentials.url() + "/api/v1/environments/" + env + "/clients").then().statusCode(201)
                .extract();
        return new Client(r.path("clientId"), r.path("secret.id"), r.path("secret.value"));
    }

    /** A webhook opted into {@code patients.updated}, signed by {@code method} with {@code secretId}; its id. */
    String webhook(String env, String url, String method, String secretId) {
        return admin()
                .body(Map.of("url", url, "notificationTypes", List.of("patients.updated"), "security",
                        Map.of("method", method, "secretIds", List.of(secretId))))
                .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(201)
                .extract().path("id");
    }

    /** An admin client with these groups and Environments. */
    Client adminClient(String name, List<String> groups, List<String> environments) {
        var r = admin().body(Map.of("name", name, "groups", groups, "environments", environments))
                .post(suite.credentials.url() + "/api/v1/admin-clients").then().statusCode(201).extract();
        return new Client(r.path("clientId"), r.path("secret.id"), r.path("secret.value"));
    }
}
