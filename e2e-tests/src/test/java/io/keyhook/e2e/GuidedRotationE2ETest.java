package io.keyhook.e2e;

import static io.keyhook.e2e.RotationHarness.sleep;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The guided rotation (one call to start, one to finish) against the running suite while events stream
 * ({@link RotationHarness}): zero failed verifications, zero lost events. Then a rotation that finishes on its own
 * after its overlap, even with webhook-config-service restarted in between.
 */
class GuidedRotationE2ETest {

    @Test
    void theGuidedRotationLosesNothingAndFailsNoVerification() throws Exception {
        try (RotationHarness h = new RotationHarness()) {
            String oldToken = h.token(h.clientId, h.oldValue);
            h.awaitDeliveries("deliveries before the rotation", 25);
            String rotations = h.suite.webhooks.url() + "/api/v1/environments/" + h.env + "/rotations";
            h.admin().body(Map.of("clientId", h.clientId, "secretId", h.oldId, "finishAfter", "1 hour")).post(rotations)
                    .then().statusCode(422).contentType("application/problem+json");
            h.admin().body(Map.of("clientId", h.clientId, "secretId", "sec_notHers")).post(rotations).then()
                    .statusCode(422).body("code", equalTo("secret_not_rotatable"));
            h.admin().get(rotations + "/rot_missing").then().statusCode(404).body("code",
                    equalTo("rotation_not_found"));

            // start: a new secret (shown once), added to the webhook next to the old one
            var started = h.admin().body(Map.of("clientId", h.clientId, "secretId", h.oldId)).post(rotations).then()
                    .statusCode(201).body("state", equalTo("overlapping")).body("webhookIds[0]", equalTo(h.webhookId))
                    .extract();
            String rotationId = started.path("id");
            String newId = started.path("newSecret.id");
            h.newKey = started.path("newSecret.value");
            h.admin().get(h.webhooks + "/" + h.webhookId).then().statusCode(200).body("security.secretIds",
                    contains(h.oldId, newId));
            String newToken = h.token(h.clientId, h.newKey);
            h.receiverKeys.add(h.newKey);
            h.admin().body(Map.of("clientId", h.clientId, "secretId", h.oldId)).post(rotations).then().statusCode(409)
                    .body("code", equalTo("rotation_in_progress"));
            h.admin().post(h.clients + "/" + h.clientId + "/secrets/" + h.oldId + "/invalidate").then().statusCode(409)
                    .body("code", equalTo("secret_in_use"));
            // verified: the app used the old secret a moment ago, so the finish is refused with both checks shown
            h.token(h.clientId, h.oldValue);
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> h.admin().get(h.clients + "/" + h.clientId + "/secrets").jsonPath()
                            .getString("find { it.id == '" + h.oldId + "' }.lastUsedAt") != null);
            h.admin().post(rotations + "/" + rotationId + "/finish").then().statusCode(409)
                    .contentType("application/problem+json").body("code", equalTo("rotation_not_verified"))
                    .body("checks.passed", equalTo(false)).body("checks.receiver.passed", equalTo(true))
                    .body("checks.receiver.pings[0].webhookId", equalTo(h.webhookId))
                    .body("checks.receiver.pings[0].statusCode", equalTo(204)).body("checks.app.passed", equalTo(false))
                    .body("checks.app.oldSecretId", equalTo(h.oldId));
            h.admin().get(rotations + "/" + rotationId).then().statusCode(200).body("state", equalTo("overlapping"))
                    .body("checks.app.passed", equalTo(false));
            h.admin().body(Map.of("override", true)).post(rotations + "/" + rotationId + "/finish").then()
                    .statusCode(422).body("code", equalTo("override_reason_required"));
            // the app stays on the new secret for the quiet period (3 s in this suite): then both checks pass
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> h.admin().post(rotations + "/" + rotationId + "/checks").then().statusCode(200)
                            .extract().<Boolean> path("checks.passed"));
            // finish: the old secret leaves the webhook and is invalidated
            h.admin().post(rotations + "/" + rotationId + "/finish").then().statusCode(200)
                    .body("state", equalTo("done")).body("checks.passed", equalTo(true));
            h.admin().get(h.webhooks + "/" + h.webhookId).then().statusCode(200).body("security.secretIds",
                    contains(newId));
            long took = h.awaitOldSecretRefused();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !h.introspect(oldToken));
            assertTrue(h.introspect(newToken), "tokens of the new secret stay active");
            String audit = h.admin().get(h.webhooks.replace("/webhooks", "/webhook-audit")).asString();
            assertTrue(audit.contains("rotation.start") && audit.contains("rotation.done"), audit);
            h.receiverDropsOldKeyWhenSafe();
            int before = h.received.size();
            sleep(3000);
            assertTrue(h.received.size() > before, "deliveries go on after the old key is gone");
            h.finish("guided rotation under load", took);

            // a rotation with an overlap finishes on its own (the job checks every second in this suite)...
            var autoStarted = h.admin().body(Map.of("clientId", h.clientId, "secretId", newId, "finishAfter", "PT1S"))
                    .post(rotations).then().statusCode(201).extract();
            String auto = autoStarted.path("id");
            // the receiver takes the third secret too, so the job's verification ping gets its 2xx
            h.receiverKeys.add(autoStarted.path("newSecret.value"));
            // ... even when webhook-config-service is down in the meantime: the job resumes it from the database
            h.suite.webhooks.stop();
            sleep(2000);
            h.suite.webhooks.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "done"
                    .equals(h.admin().get(rotations + "/" + auto).then().statusCode(200).extract().path("state")));
            h.admin().get(rotations + "/" + auto).then().body("checks.passed", equalTo(true));
            h.admin().get(h.clients + "/" + h.clientId + "/secrets").then().statusCode(200)
                    .body("find { it.id == '" + newId + "' }.status", equalTo("invalidated"));
        }
    }
}
