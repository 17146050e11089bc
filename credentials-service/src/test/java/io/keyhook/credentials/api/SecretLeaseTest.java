package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SecretLeaseTest {

    @Test
    void invalidatingSecretInUseByWebhookIsRefusedUntilReleased() {
        String env = Fixtures.environment();
        Response client = Fixtures.client(env);
        String clientId = client.path("clientId");
        String secretId = client.path("secret.id");
        Fixtures.lease(env, "wh_1", secretId).then().statusCode(200).body("secretIds", contains(secretId));

        String base = "/api/v1/environments/" + env + "/clients/" + clientId + "/secrets";
        as(TestTokens.admin(env)).get(base).then().body("[0].usedByWebhooks", contains("wh_1"));
        as(TestTokens.admin(env)).post(base + "/" + secretId + "/invalidate").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("secret_in_use"))
                .body("webhookIds", contains("wh_1"))
                // points at the way out (before: "remove it from them before invalidating it")
                .body("rotation", equalTo("/api/v1/environments/" + env + "/rotations"))
                .body("detail", org.hamcrest.Matchers
                        .containsString("./keyhook rotate " + env + " " + clientId + " " + secretId));
        as(TestTokens.admin(env)).delete("/api/v1/environments/" + env + "/clients/" + clientId).then().statusCode(409)
                .body("code", equalTo("client_in_use"));

        as(TestTokens.service()).delete("/internal/v1/webhooks/wh_1/leases").then().statusCode(204);
        as(TestTokens.admin(env)).post(base + "/" + secretId + "/invalidate").then().statusCode(200).body("status",
                equalTo("invalidated"));
    }

    @Test
    void settingLeasesReplacesTheWebhooksPreviousSet() {
        String env = Fixtures.environment();
        Response client = Fixtures.client(env);
        String first = client.path("secret.id");
        String second = Fixtures.secret(env, client.path("clientId")).path("id");
        Fixtures.lease(env, "wh_2", first).then().statusCode(200);
        Fixtures.lease(env, "wh_2", second, first).then().statusCode(200);
        Fixtures.lease(env, "wh_2", second).then().statusCode(200);
        as(TestTokens.service()).get("/internal/v1/webhooks/wh_2/leases").then().body("secretIds", contains(second));
        as(TestTokens.admin(env)).post("/api/v1/environments/" + env + "/clients/" + client.path("clientId")
                + "/secrets/" + first + "/invalidate").then().statusCode(200);
    }

    @Test
    void onlyActiveSecretsOfTheSameEnvironmentCanBeLeased() {
        String env = Fixtures.environment();
        String other = Fixtures.environment();
        Response client = Fixtures.client(env);
        String secretId = client.path("secret.id");
        String foreign = Fixtures.client(other).path("secret.id");

        Fixtures.lease(env, "wh_3", foreign).then().statusCode(422).body("code", equalTo("secret_not_usable"))
                .body("errors[0].field", equalTo("secretIds[0]"));
        Fixtures.lease(env, "wh_3", "sec_missing").then().statusCode(422);
        as(TestTokens.admin(env)).post("/api/v1/environments/" + env + "/clients/" + client.path("clientId")
                + "/secrets/" + secretId + "/invalidate").then().statusCode(200);
        Fixtures.lease(env, "wh_3", secretId).then().statusCode(422).body("errors[0].message",
                org.hamcrest.Matchers.containsString("invalidated"));
        as(TestTokens.service()).get("/internal/v1/webhooks/wh_3/leases").then().body("secretIds.size()", equalTo(0));
    }

    /** Races lease against invalidate many times: never may a leased secret end up invalidated. */
    @Test
    void concurrentLeaseAndInvalidateNeverLeaveALeasedInvalidatedSecret() throws Exception {
        String env = Fixtures.environment();
        String clientId = Fixtures.client(env).path("clientId");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            int leasedWins = 0;
            int invalidateWins = 0;
            for (int round = 0; round < 15; round++) {
                String secretId = Fixtures.secret(env, clientId).path("id");
                String webhook = "wh_race_" + round;
                CountDownLatch start = new CountDownLatch(1);
                Callable<Integer> lease = () -> {
                    start.await();
                    return Fixtures.lease(env, webhook, secretId).statusCode();
                };
                Callable<Integer> invalidate = () -> {
                    start.await();
                    return as(TestTokens.admin(env)).post("/api/v1/environments/" + env + "/clients/" + clientId
                            + "/secrets/" + secretId + "/invalidate").statusCode();
                };
                List<Future<Integer>> results = new ArrayList<>(List.of(pool.submit(lease), pool.submit(invalidate)));
                start.countDown();
                int leaseStatus = results.get(0).get();
                int invalidateStatus = results.get(1).get();

                List<String> leased = as(TestTokens.service()).get("/internal/v1/webhooks/" + webhook + "/leases")
                        .path("secretIds");
                String status = as(TestTokens.admin(env))
                        .get("/api/v1/environments/" + env + "/clients/" + clientId + "/secrets")
                        .path("find { it.id == '" + secretId + "' }.status");
                assertTrue(!(leased.contains(secretId) && "invalidated".equals(status)),
                        "round " + round + ": secret leased and invalidated at once");
                if (leaseStatus == 200) {
                    assertEquals(409, invalidateStatus, "invalidate after a lease must be refused");
                    leasedWins++;
                    as(TestTokens.service()).delete("/internal/v1/webhooks/" + webhook + "/leases").then()
                            .statusCode(204);
                } else {
                    assertEquals(422, leaseStatus);
                    assertEquals(200, invalidateStatus);
                    invalidateWins++;
                }
                // stay under the active-secrets limit
                if ("active".equals(status)) {
                    as(TestTokens.admin(env)).post("/api/v1/environments/" + env + "/clients/" + clientId + "/secrets/"
                            + secretId + "/invalidate").then().statusCode(200);
                }
            }
            assertEquals(15, leasedWins + invalidateWins);
        } finally {
            pool.shutdownNow();
        }
    }
}
