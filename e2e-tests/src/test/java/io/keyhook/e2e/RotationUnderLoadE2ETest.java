package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section 7, step by step, against the running suite, while events stream to the webhook the whole time
 * ({@link RotationHarness}). Asserts zero failed verifications and zero lost events; the old secret stops issuing
 * tokens and its tokens go inactive once it is invalidated, which is refused while the webhook still signs with it.
 */
class RotationUnderLoadE2ETest {

    @Test
    void theRotationProcedureLosesNothingAndFailsNoVerification() throws Exception {
        try (RotationHarness h = new RotationHarness()) {
            String oldToken = h.token(h.clientId, h.oldValue);
            h.awaitDeliveries("deliveries before the rotation", 25);
            // 1. a new secret for the client
            var created = h.admin().post(h.clients + "/" + h.clientId + "/secrets").then().statusCode(201).extract();
            String newId = created.path("id");
            h.newKey = created.path("value");
            // 2. the app starts using it: tokens issue with it at once (and still with the old one)
            String newToken = h.token(h.clientId, h.newKey);
            // 3. the receiver accepts the new key too
            h.receiverKeys.add(h.newKey);
            h.awaitDeliveries("deliveries while the receiver holds both keys", 25);
            // 4. invalidating the old secret is refused while the webhook signs with it
            String invalidateOld = h.clients + "/" + h.clientId + "/secrets/" + h.oldId + "/invalidate";
            h.admin().post(invalidateOld).then().statusCode(409).body("code", equalTo("secret_in_use"));
            // 5. the webhook signs with both during the overlap, then with the new one only; then invalidate
            h.admin()
                    .body(Map.of("security",
                            Map.of("method", "standard-webhooks", "secretIds", List.of(h.oldId, newId))))
                    .patch(h.webhooks + "/" + h.webhookId).then().statusCode(200);
            h.awaitDeliveries("deliveries signed during the overlap", 50);
            h.admin().body(Map.of("security", Map.of("method", "standard-webhooks", "secretIds", List.of(newId))))
                    .patch(h.webhooks + "/" + h.webhookId).then().statusCode(200);
            h.admin().post(invalidateOld).then().statusCode(200);
            long took = h.awaitOldSecretRefused();
            given().auth().preemptive().basic(h.clientId, h.oldValue).contentType("application/x-www-form-urlencoded")
                    .formParam("grant_type", "client_credentials").post(h.suite.tokens.url() + "/oauth2/token").then()
                    .statusCode(401).body("error", equalTo("invalid_client"));
            Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !h.introspect(oldToken));
            assertTrue(h.introspect(newToken), "tokens of the new secret stay active");
            // 6. the receiver drops the old key
            h.receiverDropsOldKeyWhenSafe();
            // 7. done: events keep flowing, verified with the new key alone
            h.awaitDeliveries("deliveries go on after the old key is gone", 25);
            h.finish("rotation under load", took);
        }
    }
}
