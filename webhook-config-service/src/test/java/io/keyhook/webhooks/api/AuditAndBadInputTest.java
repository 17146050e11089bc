package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static io.keyhook.webhooks.api.WebhookApiTest.base;
import static io.keyhook.webhooks.api.WebhookApiTest.secret;
import static io.keyhook.webhooks.api.WebhookApiTest.webhook;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.testing.OpenApiDrift;
import io.keyhook.testing.TestTokens;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AuditAndBadInputTest {

    @Inject
    EnvironmentView view;

    @Test
    void changesRefusalsAndForbiddenCallsAreAudited() {
        String env = Environments.create(view, "patients");
        String id = as(env).body(webhook("https://receiver.example.com/h", List.of("patients.created"),
                "standard-webhooks", List.of(secret(env)))).post(base(env)).then().statusCode(201).extract().path("id");
        as(env).post(base(env) + "/" + id + "/pause").then().statusCode(200);
        as(env).post(base(env) + "/" + id + "/pause").then().statusCode(200);
        as(env).body(
                webhook("https://10.0.0.1/h", List.of("patients.created"), "standard-webhooks", List.of(secret(env))))
                .put(base(env) + "/" + id).then().statusCode(422);
        given().auth().oauth2(TestTokens.operator()).post(base(env) + "/" + id + "/resume").then().statusCode(403);
        Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> as(env)
                .get("/api/v1/environments/" + env + "/webhook-audit").then().statusCode(200)
                .body("items.action",
                        contains("access.denied", "webhook.update", "webhook.pause", "webhook.pause", "webhook.create"))
                .body("items.result", contains("refused:forbidden", "refused:destination_not_public", "success",
                        "success", "success"))
                .body("items[2].detail", equalTo("unchanged")));
    }

    @Test
    void aFullLastPageHasNoCursorSoNoEmptyPageFollows() {
        String env = Environments.create(view, "patients");
        as(env).post(base(env) + "/" + createdIn(env) + "/pause").then().statusCode(200);
        String audit = "/api/v1/environments/" + env + "/webhook-audit";

        as(env).queryParam("limit", 2).get(audit).then().statusCode(200)
                .body("items.action", contains("webhook.pause", "webhook.create")).body("nextCursor", nullValue());
        String next = as(env).queryParam("limit", 1).get(audit).then().statusCode(200)
                .body("items.action", contains("webhook.pause")).extract().path("nextCursor");
        as(env).queryParam("limit", 1).queryParam("cursor", next).get(audit).then().statusCode(200)
                .body("items.action", contains("webhook.create")).body("nextCursor", nullValue());
    }

    @Test
    void aCursorBeyondAnyRowIdIsABadRequestNotAServerError() {
        String env = Environments.create(view, "patients");
        // 19 digits pass the pattern but not a long: it was parsed unguarded and answered 500
        as(env).queryParam("cursor", "9999999999999999999").get("/api/v1/environments/" + env + "/webhook-audit").then()
                .statusCode(400).body("code", equalTo("invalid_cursor"));
    }

    @Test
    void theDispatcherPausesAWebhookWhoseReceiverIsGoneAndTheAuditSaysWhyOnce() {
        String env = Environments.create(view, "patients");
        String id = as(env).body(webhook("https://receiver.example.com/h", List.of("patients.created"),
                "standard-webhooks", List.of(secret(env)))).post(base(env)).then().statusCode(201).extract().path("id");
        String disable = "/internal/v1/webhooks/" + id + "/disable";
        given().auth().oauth2(TestTokens.admin(env)).contentType("application/json")
                .body(java.util.Map.of("reason", "x")).post(disable).then().statusCode(403);
        given().auth().oauth2(TestTokens.service()).contentType("application/json")
                .body(java.util.Map.of("reason", "receiver answered 410 Gone")).post(disable).then().statusCode(200)
                .body("paused", equalTo(true));
        as(env).get(base(env) + "/" + id).then().body("paused", equalTo(true));
        as(env).get("/api/v1/environments/" + env + "/webhook-audit").then()
                .body("items[0].action", equalTo("webhook.disable"))
                .body("items[0].detail", equalTo("receiver answered 410 Gone"))
                .body("items[1].action", equalTo("webhook.create"));
    }

    @Test
    void badBodiesAreRefusedClearlyAndNothingIsSaved() {
        String env = Environments.create(view, "patients");
        byte[] latin1 = ("{\"url\":\"https://receiver.example.com/caf\u00e9\",\"notificationTypes\":[],"
                + "\"security\":{\"method\":\"standard-webhooks\",\"secretIds\":[\"sec_a\"]}}")
                        .getBytes(StandardCharsets.ISO_8859_1);
        as(env).body(latin1).post(base(env)).then().statusCode(400).contentType("application/problem+json");
        as(env).body("{\"url\":\"" + "a".repeat(70_000) + "\"}").post(base(env)).then().statusCode(413)
                .contentType("application/problem+json").body("code", equalTo("payload_too_large"));
        as(env).body(webhook("https://receiver.example.com/h", Collections.nCopies(201, "patients.created"),
                "standard-webhooks", List.of(secret(env)))).post(base(env)).then().statusCode(422)
                .body("errors.field", hasItems("notificationTypes"));
        as(env).get(base(env)).then().body("", empty());
    }

    @Test
    void servedOpenApiMatchesTheCommittedCopy() throws Exception {
        OpenApiDrift.assertServedEquals(java.nio.file.Path.of("openapi/webhook-config-service.yaml"));
    }

    /** A new webhook of {@code env} (its creation is the Environment's first audit entry). */
    private static String createdIn(String env) {
        return as(env).body(webhook("https://receiver.example.com/h", List.of("patients.created"), "standard-webhooks",
                List.of(secret(env)))).post(base(env)).then().statusCode(201).extract().path("id");
    }
}
