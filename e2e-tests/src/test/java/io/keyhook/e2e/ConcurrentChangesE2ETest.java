package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.keyhook.testing.Race;

/**
 * Racing changes across the real services: secret invalidations, client disables and new secrets in
 * credentials-service, interleaved in random order over several rounds. Afterwards what the owner says holds, and
 * token-service agrees within a few seconds: every token of a disabled client introspects as inactive. (A disabled
 * client was once re-enabled by an invalidation racing it, and token-service kept issuing tokens for it.)
 */
class ConcurrentChangesE2ETest {

    static Suite suite;
    static Setup setup;

    @BeforeAll
    static void setUp() {
        suite = Suite.get();
        setup = Setup.of(suite);
    }

    record App(String env, String id, String first, String second, String token) {
    }

    @Test
    void racingInvalidationsAndDisablesHoldInTheOwnerAndInTokenService() throws Exception {
        int operations = 0;
        try (Race race = new Race(12, 31)) {
            for (int round = 0; round < 3; round++) {
                String env = setup.environment("race", "Race", "patients");
                String clients = suite.credentials.url() + "/api/v1/environments/" + env + "/clients";
                // a resource server of the Environment introspects the apps' tokens (never failing to authenticate:
                // failures would count against the shared address's abuse limit)
                Setup.Client resourceServer = setup.client(env, "resource server");
                List<App> apps = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    Setup.Client c = setup.client(env, "app-" + i);
                    var second = setup.admin().post(clients + "/" + c.id() + "/secrets").then().statusCode(201)
                            .extract();
                    String token = Setup.token(suite, c.id(), second.path("value"));
                    apps.add(new App(env, c.id(), c.secretId(), second.path("id"), token));
                }
                List<Runnable> ops = new ArrayList<>();
                for (App a : apps) {
                    String base = clients + "/" + a.id();
                    ops.add(() -> setup.admin().post(base + "/secrets/" + a.first() + "/invalidate").then()
                            .statusCode(200));
                    ops.add(() -> setup.admin().delete(base).then().statusCode(200));
                    ops.add(() -> {
                        int status = setup.admin().post(base + "/secrets").statusCode();
                        if (status != 201 && status != 409) {
                            throw new AssertionError("a new secret for " + a.id() + " answered " + status);
                        }
                    });
                }
                operations += ops.size();
                race.run(ops);
                for (App a : apps) {
                    String base = clients + "/" + a.id();
                    assertEquals("disabled", setup.admin().get(base).then().statusCode(200).extract().path("status"),
                            "client " + a.id() + " in round " + round);
                    assertEquals("invalidated", setup.admin().get(base + "/secrets").then().statusCode(200).extract()
                            .jsonPath().getString("find { it.id == '" + a.first() + "' }.status"));
                    // token-service's view agrees within the documented bound: the disabled client's tokens are
                    // inactive
                    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !active(resourceServer, a.token()));
                }
            }
        }
        System.out.printf("RESULT concurrent changes: %d operations in 3 rounds (invalidate, disable, new secret,"
                + " random order): every client disabled and every invalidated secret invalidated in"
                + " credentials-service, and token-service holds every token of them inactive%n", operations);
    }

    @Test
    void aWebhookMovesFromThreeSecretsToThreeOthersInOneChange() {
        String env = setup.environment("swap", "Swap", "patients");
        String clients = suite.credentials.url() + "/api/v1/environments/" + env + "/clients";
        // a client may hold 5 active secrets: three from one client, three from another
        Setup.Client app = setup.client(env, "app");
        Setup.Client next = setup.client(env, "next app");
        List<String> old = new ArrayList<>(List.of(app.secretId()));
        List<String> fresh = new ArrayList<>(List.of(next.secretId()));
        for (int i = 0; i < 2; i++) {
            old.add(setup.admin().post(clients + "/" + app.id() + "/secrets").then().statusCode(201).extract()
                    .path("id"));
            fresh.add(setup.admin().post(clients + "/" + next.id() + "/secrets").then().statusCode(201).extract()
                    .path("id"));
        }
        String webhook = suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks/"
                + setup.webhook(env, "http://127.0.0.1:9/hook", "standard-webhooks", old.get(0));
        setup.admin().body(Map.of("security", Map.of("method", "standard-webhooks", "secretIds", old))).patch(webhook)
                .then().statusCode(200);
        // all three replaced at once: while the change runs, the six are leased; afterwards only the new three
        setup.admin().body(Map.of("security", Map.of("method", "standard-webhooks", "secretIds", fresh))).patch(webhook)
                .then().statusCode(200);
        for (String id : old) {
            setup.admin().post(clients + "/" + app.id() + "/secrets/" + id + "/invalidate").then().statusCode(200);
        }
        for (String id : fresh) {
            setup.admin().post(clients + "/" + next.id() + "/secrets/" + id + "/invalidate").then().statusCode(409)
                    .body("code", org.hamcrest.Matchers.equalTo("secret_in_use"));
        }
    }

    private static boolean active(Setup.Client resourceServer, String token) {
        return given().auth().preemptive().basic(resourceServer.id(), resourceServer.secretValue())
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(suite.tokens.url() + "/oauth2/introspect").then().statusCode(200).extract().path("active");
    }
}
