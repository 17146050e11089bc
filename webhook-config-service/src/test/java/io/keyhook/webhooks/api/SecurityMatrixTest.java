package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.secret;
import static io.keyhook.webhooks.api.WebhookApiTest.webhook;
import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.testing.TestTokens;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every endpoint x {no token, forged token, wrong role, admin of another Environment, right role}: 401 / 401 / 403 /
 * 404 / 2xx. Another Environment's webhook answers exactly like a missing one.
 */
@QuarkusTest
class SecurityMatrixTest {

    @Inject
    EnvironmentView view;

    record Call(String name, int ok, Function<RequestSpecification, Response> send) {
    }

    @Test
    void accessIsDecidedByRoleAndEnvironment() {
        String env = Environments.create(view, "patients");
        String base = "/api/v1/environments/" + env;
        String id = WebhookApiTest
                .as(env).body(webhook("https://receiver.example.com/h", List.of("patients.created"),
                        "standard-webhooks", List.of(secret(env))))
                .post(base + "/webhooks").then().statusCode(201).extract().path("id");
        Map<String, Object> body = webhook("https://receiver.example.com/h2", List.of("patients.updated"),
                "standard-webhooks", List.of(secret(env)));
        List<Call> calls = List.of(new Call("types", 200, r -> r.get(base + "/notification-types")),
                new Call("list", 200, r -> r.get(base + "/webhooks")),
                new Call("get", 200, r -> r.get(base + "/webhooks/" + id)),
                new Call("put", 200, r -> r.body(body).put(base + "/webhooks/" + id)),
                new Call("patch", 200, r -> r.body(Map.of("paused", false)).patch(base + "/webhooks/" + id)),
                new Call("pause", 200, r -> r.post(base + "/webhooks/" + id + "/pause")),
                new Call("resume", 200, r -> r.post(base + "/webhooks/" + id + "/resume")),
                new Call("audit", 200, r -> r.get(base + "/webhook-audit")),
                new Call("signing-keys", 200, r -> r.get(base + "/webhooks/" + id + "/signing-keys")),
                // a webhook signed with client secrets has no key of its own to add or retire
                new Call("add signing key", 409, r -> r.post(base + "/webhooks/" + id + "/signing-keys")),
                new Call("retire signing key", 404,
                        r -> r.post(base + "/webhooks/" + id + "/signing-keys/whk_None1/retire")),
                // the create is refused by the limit once the right caller gets through: access came first
                new Call("create", 409, r -> r.body(body).post(base + "/webhooks")),
                new Call("delete", 204, r -> r.delete(base + "/webhooks/" + id)));
        // the right caller last, so the delete runs after every refusal was checked
        for (Call c : calls) {
            expect(c, given(), 401);
            expect(c, given().auth().oauth2(TestTokens.forged()), 401);
            expect(c, given().auth().oauth2(TestTokens.operator()), 403);
            expect(c, given().auth().oauth2(TestTokens.service()), 403);
            expect(c, given().auth().oauth2(TestTokens.admin("some-other-env")), 404);
        }
        for (Call c : calls) {
            expect(c, given().auth().oauth2(TestTokens.admin(env)), c.ok());
        }
    }

    private static void expect(Call c, RequestSpecification spec, int status) {
        Response r = c.send().apply(spec.contentType("application/json"));
        if (r.statusCode() != status) {
            throw new AssertionError(
                    c.name() + ": expected " + status + " but got " + r.statusCode() + " " + r.asString());
        }
        if (status >= 400 && !r.contentType().startsWith("application/problem+json")) {
            throw new AssertionError(c.name() + ": " + status + " without problem+json");
        }
    }
}
