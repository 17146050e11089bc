package io.keyhook.credentials.service;

import static io.keyhook.credentials.Fixtures.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.Race;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Concurrent changes of the same clients never undo each other: secret invalidations, client disables, new secrets and
 * a key-rotation rewrap, interleaved in random order over several rounds. Afterwards every client is disabled and every
 * invalidated secret stays invalidated — what the committed operations said. (An unlocked read in the invalidation once
 * wrote a client back to {@code active} a moment after it was disabled.)
 */
@QuarkusTest
class NoLostUpdatesTest {

    record Target(String env, String clientId, String secretA, String secretB) {
    }

    @Test
    void invalidationsDisablesAndRewrapsRacingOnTheSameClientsAllHold() throws Exception {
        try (Race race = new Race(16, 13)) {
            for (int round = 0; round < 4; round++) {
                String env = Fixtures.environment();
                List<Target> targets = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    Response c = Fixtures.client(env);
                    String clientId = c.path("clientId");
                    targets.add(
                            new Target(env, clientId, c.path("secret.id"), Fixtures.secret(env, clientId).path("id")));
                }
                List<Runnable> ops = new ArrayList<>();
                for (Target t : targets) {
                    String base = "/api/v1/environments/" + t.env() + "/clients/" + t.clientId();
                    ops.add(() -> as(TestTokens.admin(t.env())).post(base + "/secrets/" + t.secretA() + "/invalidate")
                            .then().statusCode(200));
                    ops.add(() -> as(TestTokens.admin(t.env())).post(base + "/secrets/" + t.secretB() + "/invalidate")
                            .then().statusCode(200));
                    ops.add(() -> as(TestTokens.admin(t.env())).delete(base).then().statusCode(200));
                    // creating a secret races the disable: either it comes first or it is refused (client disabled)
                    ops.add(() -> {
                        int status = as(TestTokens.admin(t.env())).post(base + "/secrets").then().extract()
                                .statusCode();
                        if (status != 201 && status != 409) {
                            throw new AssertionError("creating a secret answered " + status);
                        }
                    });
                }
                // a key rotation and its rewrap of every secret, through the operator's endpoint
                ops.add(() -> as(TestTokens.operator()).post("/api/v1/secret-encryption-key/rotate").then()
                        .statusCode(200));
                race.run(ops);
                for (Target t : targets) {
                    String base = "/api/v1/environments/" + t.env() + "/clients/" + t.clientId();
                    assertEquals("disabled",
                            as(TestTokens.admin(t.env())).get(base).then().statusCode(200).extract().path("status"),
                            "client " + t.clientId() + " in round " + round);
                    List<String> invalidated = as(TestTokens.admin(t.env())).get(base + "/secrets").then()
                            .statusCode(200).extract().jsonPath().getList("findAll { it.status == 'invalidated' }.id");
                    assertEquals(true, invalidated.containsAll(List.of(t.secretA(), t.secretB())),
                            "secrets of " + t.clientId() + " invalidated: " + invalidated);
                }
            }
        }
    }
}
