package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.keyhook.core.crypto.SecretGenerator;

/**
 * Read-your-writes across services: an Environment just created in credentials-service is usable at once through
 * webhook-config-service (which asks credentials-service on a view miss), as automation that creates an Environment and
 * then its webhook needs. 50 times in a row, with no wait in between.
 */
class ReadYourWritesE2ETest {

    static Suite suite;
    static Setup setup;

    @BeforeAll
    static void setUp() {
        suite = Suite.get();
        setup = Setup.of(suite);
    }

    @Test
    void anEnvironmentJustCreatedIsUsableAtOnceThroughWebhookConfigService() {
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String env = "ryw-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
            setup.admin().body(Map.of("dataTypes", List.of("patients")))
                    .put(suite.credentials.url() + "/api/v1/configurations/" + env).then().statusCode(201);
            setup.admin().body(Map.of("id", env, "name", "Read your writes", "configuration", env))
                    .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
            // no waiting: the very next calls
            int types = setup.admin().get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types")
                    .statusCode();
            String secretId = setup.client(env, "app").secretId();
            int created = setup.admin()
                    .body(Map.of("url", "http://127.0.0.1:9/hook", "notificationTypes", List.of("patients.updated"),
                            "security", Map.of("method", "standard-webhooks", "secretIds", List.of(secretId))))
                    .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").statusCode();
            if (types != 200 || created != 201) {
                misses.add(env + ": notification-types " + types + ", webhook " + created);
            }
        }
        assertEquals(List.of(), misses);
    }
}
