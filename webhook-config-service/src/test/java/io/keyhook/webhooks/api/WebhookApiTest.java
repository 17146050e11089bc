package io.keyhook.webhooks.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.webhooks.support.CredentialsStub;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The webhook API with the default limit of one webhook per Environment. */
@QuarkusTest
class WebhookApiTest {

    @Inject
    EnvironmentView view;

    static RequestSpecification as(String env) {
        return given().auth().oauth2(Environments.admin(env)).contentType("application/json");
    }

    static String secret(String env) {
        String id = SecretGenerator.newId("sec_");
        CredentialsStub.shared().secret(id, env, true);
        return id;
    }

    static Map<String, Object> webhook(String url, List<String> types, String method, List<String> secrets) {
        return Map.of("url", url, "notificationTypes", types, "security",
                Map.of("method", method, "secretIds", secrets));
    }

    static String base(String env) {
        return "/api/v1/environments/" + env + "/webhooks";
    }

    @Test
    void notificationTypesComeFromTheConfiguration() {
        String env = Environments.create(view, "patients", "encounters");
        as(env).get("/api/v1/environments/" + env + "/notification-types").then().statusCode(200).body("",
                contains("patients.created", "patients.updated", "patients.deleted", "encounters.created",
                        "encounters.updated", "encounters.deleted"));
    }

    @Test
    void aWebhookIsCreatedReadChangedPausedAndDeleted() {
        String env = Environments.create(view, "patients", "encounters");
        String s1 = secret(env);
        Response created = as(env).body(webhook("https://receiver.example.com/hooks", List.of("patients.updated"),
                "standard-webhooks", List.of(s1))).post(base(env));
        created.then().statusCode(201)
                .header("Location",
                        org.hamcrest.Matchers.containsString("/api/v1/environments/" + env + "/webhooks/wh_"))
                .body("url", equalTo("https://receiver.example.com/hooks"))
                .body("notificationTypes", contains("patients.updated")).body("paused", equalTo(false))
                .body("security.method", equalTo("standard-webhooks")).body("security.secretIds", contains(s1))
                .body("unavailableNotificationTypes", empty());
        String id = created.path("id");
        assertEquals(List.of(s1), CredentialsStub.shared().leasesOf(id));

        as(env).get(base(env) + "/" + id).then().statusCode(200).body("id", equalTo(id));
        as(env).get(base(env)).then().statusCode(200).body("", hasSize(1));

        // PUT replaces everything; a second secret during a rotation overlap
        String s2 = secret(env);
        as(env).body(webhook("https://receiver.example.com/v2", List.of("patients.updated", "encounters.created"),
                "jwt-bearer", List.of(s1, s2))).put(base(env) + "/" + id).then().statusCode(200)
                .body("url", equalTo("https://receiver.example.com/v2")).body("security.method", equalTo("jwt-bearer"))
                .body("notificationTypes", contains("patients.updated", "encounters.created"));
        assertEquals(List.of(s1, s2), CredentialsStub.shared().leasesOf(id));

        // PATCH changes only what it names
        as(env).body(Map.of("security", Map.of("method", "jwt-bearer", "secretIds", List.of(s2))))
                .patch(base(env) + "/" + id).then().statusCode(200).body("security.secretIds", contains(s2))
                .body("url", equalTo("https://receiver.example.com/v2"));
        assertEquals(List.of(s2), CredentialsStub.shared().leasesOf(id));

        as(env).post(base(env) + "/" + id + "/pause").then().statusCode(200).body("paused", equalTo(true));
        as(env).post(base(env) + "/" + id + "/pause").then().statusCode(200).body("paused", equalTo(true));
        as(env).post(base(env) + "/" + id + "/resume").then().statusCode(200).body("paused", equalTo(false));

        as(env).delete(base(env) + "/" + id).then().statusCode(204);
        as(env).get(base(env) + "/" + id).then().statusCode(404).body("code", equalTo("webhook_not_found"));
        assertEquals(List.of(), CredentialsStub.shared().leasesOf(id));
    }

    @Test
    void eachWebhookAnswerCarriesItsBreakerAsTheDispatcherKnowsIt() {
        String env = Environments.create(view, "patients");
        String id = as(env).body(webhook("https://receiver.example.com/hooks", List.of("patients.updated"),
                "standard-webhooks", List.of(secret(env)))).post(base(env)).then().statusCode(201).extract().path("id");
        as(env).get(base(env) + "/" + id).then().statusCode(200).body("breaker.state", equalTo("closed"))
                .body("breaker.openUntil", equalTo(null));

        CredentialsStub.shared().breaker(env, id, "open", "2030-01-01T00:00:00Z");
        as(env).get(base(env) + "/" + id).then().statusCode(200).body("breaker.state", equalTo("open"))
                .body("breaker.openUntil", equalTo("2030-01-01T00:00:00Z"));
        as(env).get(base(env)).then().statusCode(200).body("[0].breaker.state", equalTo("open"));
        as(env).post(base(env) + "/" + id + "/pause").then().statusCode(200).body("breaker.state", equalTo("open"));

        // the dispatcher cannot answer: the webhook still can, and says it does not know
        CredentialsStub.shared().dispatcherDown(true);
        try {
            as(env).get(base(env) + "/" + id).then().statusCode(200).body("id", equalTo(id)).body("breaker.state",
                    equalTo("unknown"));
        } finally {
            CredentialsStub.shared().dispatcherDown(false);
        }
    }

    /** Real answers fit what the served OpenAPI document says, status and body (see OpenApiDrift). */
    @Test
    void realAnswersFitTheirDocumentedSchemas() {
        String env = Environments.create(view, "patients");
        Response created = as(env).body(webhook("https://receiver.example.com/hooks", List.of("patients.updated"),
                "standard-webhooks", List.of(secret(env)))).post(base(env));
        documented("POST", "/api/v1/environments/{env}/webhooks", created);
        String id = created.path("id");
        CredentialsStub.shared().breaker(env, id, "open", "2030-01-01T00:00:00Z");
        documented("GET", "/api/v1/environments/{env}/webhooks/{id}", as(env).get(base(env) + "/" + id));
        documented("GET", "/api/v1/environments/{env}/webhooks", as(env).get(base(env)));
        documented("GET", "/api/v1/environments/{env}/webhook-limits",
                as(env).get("/api/v1/environments/" + env + "/webhook-limits"));
        documented("PATCH", "/api/v1/environments/{env}/webhooks/{id}",
                as(env).body(Map.of("notificationTypes", List.of("patients.created"))).patch(base(env) + "/" + id));
        documented("GET", "/api/v1/environments/{env}/notification-types",
                as(env).get("/api/v1/environments/" + env + "/notification-types"));
    }

    private static void documented(String method, String path, Response r) {
        io.keyhook.testing.OpenApiDrift.assertDocumentedResponse(method, path, r.statusCode(), r.asString());
    }

    @Test
    void theLimitOfOneWebhookPerEnvironmentAnswers409() {
        String env = Environments.create(view, "patients");
        // a form can say so before it is filled in
        as(env).get("/api/v1/environments/" + env + "/webhook-limits").then().statusCode(200)
                .body("maxWebhooks", equalTo(1)).body("webhooks", equalTo(0))
                .body("maxNotificationTypes", equalTo(200));
        as(env).body(webhook("https://receiver.example.com/a", List.of("patients.created"), "standard-webhooks",
                List.of(secret(env)))).post(base(env)).then().statusCode(201);
        String s = secret(env);
        as(env).body(
                webhook("https://receiver.example.com/b", List.of("patients.created"), "standard-webhooks", List.of(s)))
                .post(base(env)).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("webhook_limit_reached"));
        as(env).get(base(env)).then().body("", hasSize(1));
        as(env).get("/api/v1/environments/" + env + "/webhook-limits").then().body("webhooks", equalTo(1));
    }

    @Test
    void badTypesAreNamedAndNothingIsSaved() {
        String env = Environments.create(view, "patients");
        as(env).body(webhook("https://receiver.example.com/a",
                List.of("patients.*", "patients.updated", "encounters.created", "patients.updated"),
                "standard-webhooks", List.of(secret(env)))).post(base(env)).then().statusCode(422)
                .body("code", equalTo("validation_failed"))
                .body("errors.field", contains("notificationTypes[0]", "notificationTypes[2]", "notificationTypes[3]"));
        as(env).get(base(env)).then().body("", empty());
    }

    @Test
    void secretsMustBeActiveAndOfThisEnvironment() {
        String env = Environments.create(view, "patients");
        String other = Environments.create(view, "patients");
        String foreign = secret(other);
        String invalidated = SecretGenerator.newId("sec_");
        CredentialsStub.shared().secret(invalidated, env, false);
        as(env).body(webhook("https://receiver.example.com/a", List.of("patients.created"), "standard-webhooks",
                List.of(foreign, invalidated))).post(base(env)).then().statusCode(422)
                .body("code", equalTo("secret_not_usable"))
                .body("errors.field", contains("security.secretIds[0]", "security.secretIds[1]"));
        as(env).get(base(env)).then().body("", empty());
    }

    @Test
    void tokenExchangeNeedsASafeTokenUrl() {
        String env = Environments.create(view, "patients");
        String s = secret(env);
        Map<String, Object> noUrl = webhook("https://receiver.example.com/a", List.of("patients.created"),
                "token-exchange", List.of(s));
        as(env).body(noUrl).post(base(env)).then().statusCode(422).body("errors.field", contains("security.tokenUrl"));
        Map<String, Object> inside = Map.of("url", "https://receiver.example.com/a", "notificationTypes",
                List.of("patients.created"), "security", Map.of("method", "token-exchange", "secretIds", List.of(s),
                        "tokenUrl", "https://169.254.169.254/token"));
        as(env).body(inside).post(base(env)).then().statusCode(422).body("code", equalTo("destination_not_public"))
                .body("errors.field", contains("security.tokenUrl"));
        Map<String, Object> ok = Map.of("url", "https://receiver.example.com/a", "notificationTypes",
                List.of("patients.created"), "security", Map.of("method", "token-exchange", "secretIds", List.of(s),
                        "tokenUrl", "https://tokens.example.com/oauth2/token"));
        as(env).body(ok).post(base(env)).then().statusCode(201).body("security.tokenUrl",
                equalTo("https://tokens.example.com/oauth2/token"));
        // issue 14: a token URL off the receiver's site would receive the client secret; it was accepted (201)
        String fresh = Environments.create(view, "patients");
        Map<String, Object> foreign = Map.of("url", "https://receiver.example.com/a", "notificationTypes",
                List.of("patients.created"), "security", Map.of("method", "token-exchange", "secretIds",
                        List.of(secret(fresh)), "tokenUrl", "https://collector.attacker.example.net/token"));
        as(fresh).body(foreign).post(base(fresh)).then().statusCode(422).body("code", equalTo("token_url_foreign"))
                .body("errors.field", contains("security.tokenUrl"));
    }

    @Test
    void configurationChangesNeverChangeOptIns() {
        String env = Environments.create(view, "patients", "encounters");
        String id = as(env)
                .body(webhook("https://receiver.example.com/a", List.of("patients.updated", "encounters.created"),
                        "standard-webhooks", List.of(secret(env))))
                .post(base(env)).then().statusCode(201).extract().path("id");
        // the Configuration gains a data type: nobody is opted in
        Environments.publish(view, env, 2, "patients", "encounters", "assessment_responses");
        as(env).get(base(env) + "/" + id).then()
                .body("notificationTypes", containsInAnyOrder("patients.updated", "encounters.created"))
                .body("unavailableNotificationTypes", empty());
        // it loses one: the webhook keeps it, reported unavailable
        Environments.publish(view, env, 3, "patients", "assessment_responses");
        as(env).get(base(env) + "/" + id).then()
                .body("notificationTypes", containsInAnyOrder("patients.updated", "encounters.created"))
                .body("unavailableNotificationTypes", contains("encounters.created"));
    }

    @Test
    void malformedRequestsGetProblemJson() {
        String env = Environments.create(view, "patients");
        as(env).body("{\"url\":").post(base(env)).then().statusCode(400).contentType("application/problem+json");
        as(env).body(Map.of("url", "https://receiver.example.com/a", "notificationTypes", List.of(), "security",
                Map.of("method", "standard-webhooks", "secretIds", List.of(secret(env))), "colour", "red"))
                .post(base(env)).then().statusCode(400).body("code", equalTo("unknown_field"));
        as(env).body(webhook("https://receiver.example.com/" + "a".repeat(2100), List.of(), "standard-webhooks",
                List.of(secret(env)))).post(base(env)).then().statusCode(422)
                .body("code", equalTo("validation_failed"));
        as(env).body(webhook("https://receiver.example.com/a", List.of("patients.created"), "carrier-pigeon",
                List.of(secret(env)))).post(base(env)).then().statusCode(422)
                .body("errors.field", contains("security.method"));
        as(env).body(webhook("https://receiver.example.com/a", List.of(), "standard-webhooks",
                List.of("sec_a", "sec_b", "sec_c", "sec_d"))).post(base(env)).then().statusCode(422);
        as(env).get(base(env)).then().body("", empty());
    }

    @Test
    void aWebhookWithNoNotificationTypesIsRefusedItWouldReceiveNothing() {
        // before: 201, and the webhook never received anything
        String env = Environments.create(view, "patients");
        as(env).body(webhook("https://receiver.example.com/a", List.of(), "standard-webhooks", List.of(secret(env))))
                .post(base(env)).then().statusCode(422).body("code", equalTo("validation_failed"))
                .body("errors.field", contains("notificationTypes"))
                .body("errors[0].message", containsString("at least one notification type"));
    }

    @Test
    void aBadListEntryIsNamedAsTheClientWroteIt() {
        // before: "security.secretIds[1].<list element>"
        String env = Environments.create(view, "patients");
        as(env).body(webhook("https://receiver.example.com/a", List.of("patients.created"), "standard-webhooks",
                List.of(secret(env), "not an id"))).post(base(env)).then().statusCode(422)
                .body("errors.field", contains("security.secretIds[1]"))
                .body("detail", equalTo("The request has invalid fields: security.secretIds[1]"));
    }
}
