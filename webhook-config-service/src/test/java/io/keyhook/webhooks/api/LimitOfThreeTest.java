package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static io.keyhook.webhooks.api.WebhookApiTest.base;
import static io.keyhook.webhooks.api.WebhookApiTest.secret;
import static io.keyhook.webhooks.api.WebhookApiTest.webhook;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.webhooks.support.CredentialsStub;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The same behaviour with the limit raised to 3: each webhook keeps its own types, secrets and pause state. */
@QuarkusTest
@TestProfile(LimitOfThreeTest.Three.class)
class LimitOfThreeTest {

    public static class Three implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyhook.webhooks.max-per-environment", "3");
        }
    }

    @Inject
    EnvironmentView view;

    @Test
    void threeWebhooksLiveSideBySideAndTheFourthIsRefused() {
        String env = Environments.create(view, "patients", "encounters");
        String a = create(env, "https://receiver.example.com/a", "patients.created");
        String b = create(env, "https://receiver.example.com/b", "patients.updated");
        String c = create(env, "https://partner.example.com/c", "encounters.deleted");
        as(env).body(webhook("https://receiver.example.com/d", List.of("patients.deleted"), "standard-webhooks",
                List.of(secret(env)))).post(base(env)).then().statusCode(409)
                .body("code", equalTo("webhook_limit_reached"));

        as(env).post(base(env) + "/" + b + "/pause").then().statusCode(200);
        as(env).get(base(env)).then().body("", hasSize(3)).body("find { it.id == '" + a + "' }.paused", equalTo(false))
                .body("find { it.id == '" + b + "' }.paused", equalTo(true))
                .body("find { it.id == '" + c + "' }.notificationTypes[0]", equalTo("encounters.deleted"));

        as(env).delete(base(env) + "/" + a).then().statusCode(204);
        assertEquals(List.of(), CredentialsStub.shared().leasesOf(a));
        assertEquals(1, CredentialsStub.shared().leasesOf(b).size());
        create(env, "https://receiver.example.com/d", "patients.deleted");
    }

    private static String create(String env, String url, String type) {
        return as(env).body(webhook(url, List.of(type), "standard-webhooks", List.of(secret(env)))).post(base(env))
                .then().statusCode(201).extract().path("id");
    }
}
