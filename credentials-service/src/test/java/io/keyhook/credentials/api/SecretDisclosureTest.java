package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.Race;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A secret leased for token exchange is sent to the receiver's token endpoint: it is pinned to that site on its first
 * such lease, for good, and never leased for token exchange with another site.
 */
@QuarkusTest
class SecretDisclosureTest {

    @Test
    void aSecretDisclosedToOneSiteIsRefusedForTokenExchangeWithAnyOther() {
        String env = Fixtures.environment();
        Response client = Fixtures.client(env);
        String clientId = client.path("clientId");
        String secretId = client.path("secret.id");
        String secrets = "/api/v1/environments/" + env + "/clients/" + clientId + "/secrets";

        Fixtures.exchangeLease(env, "wh_own", "clinic.example", secretId).then().statusCode(200);
        as(TestTokens.admin(env)).get(secrets).then().body("[0].disclosedTo", equalTo("clinic.example"));

        // another webhook (the attacker's) names the same secret with its own token endpoint
        Fixtures.exchangeLease(env, "wh_other", "attacker.example", secretId).then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("secret_pinned_elsewhere"))
                .body("disclosedTo." + secretId, equalTo("clinic.example"))
                .body("errors[0].field", equalTo("disclosure.secretIds[0]"))
                .body("detail", containsString("clinic.example"));
        as(TestTokens.service()).get("/internal/v1/webhooks/wh_other/leases").then().body("secretIds.size()",
                equalTo(0));

        // the same site (another webhook of the receiver's) and signing (nothing disclosed) stay possible
        Fixtures.exchangeLease(env, "wh_same_site", "clinic.example", secretId).then().statusCode(200);
        Fixtures.lease(env, "wh_signing", secretId).then().statusCode(200);

        // the pin outlives every lease: the secret has been disclosed
        for (String webhook : List.of("wh_own", "wh_same_site", "wh_signing")) {
            as(TestTokens.service()).delete("/internal/v1/webhooks/" + webhook + "/leases").then().statusCode(204);
        }
        as(TestTokens.admin(env)).get(secrets).then().body("[0].disclosedTo", equalTo("clinic.example"));
        Fixtures.exchangeLease(env, "wh_other", "attacker.example", secretId).then().statusCode(422).body("code",
                equalTo("secret_pinned_elsewhere"));
    }

    @Test
    void aSecretNeverLeasedForTokenExchangeShowsNoDisclosure() {
        String env = Fixtures.environment();
        Response client = Fixtures.client(env);
        String secretId = client.path("secret.id");
        Fixtures.lease(env, "wh_sign_only", secretId).then().statusCode(200);
        as(TestTokens.admin(env))
                .get("/api/v1/environments/" + env + "/clients/" + client.path("clientId") + "/secrets").then()
                .statusCode(200).body("[0].disclosedTo", nullValue());
    }

    @Test
    void aDisclosureNamesASiteAndOnlySecretsOfTheLease() {
        String env = Fixtures.environment();
        Response client = Fixtures.client(env);
        String secretId = client.path("secret.id");
        for (String site : List.of("Clinic.example", "clinic.example\u0000", "clinic.example/path", "x".repeat(300),
                "clinic..example", "")) {
            Fixtures.exchangeLease(env, "wh_bad_site", site, secretId).then().statusCode(422).body("code",
                    equalTo("validation_failed"));
        }
        as(TestTokens.service())
                .body(Map.of("environment", env, "secretIds", List.of(), "disclosure",
                        Map.of("purpose", "token-exchange", "site", "clinic.example", "secretIds", List.of(secretId))))
                .put("/internal/v1/webhooks/wh_bad_subset/leases").then().statusCode(422)
                .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("disclosure.secretIds[0]"));
        as(TestTokens.service())
                .body(Map.of("environment", env, "secretIds", List.of(secretId), "disclosure",
                        Map.of("purpose", "signing", "site", "clinic.example", "secretIds", List.of(secretId))))
                .put("/internal/v1/webhooks/wh_bad_purpose/leases").then().statusCode(422)
                .body("code", equalTo("validation_failed"));
        as(TestTokens.admin(env))
                .get("/api/v1/environments/" + env + "/clients/" + client.path("clientId") + "/secrets").then()
                .body("[0].disclosedTo", nullValue());
    }

    /**
     * Two webhooks lease one fresh secret for two sites at once: exactly one wins and pins it, the other is refused,
     * and the pin names the winner's site.
     */
    @Test
    void twoWebhooksLeasingOneSecretForTwoSitesAtOnceEndWithExactlyOnePinned() throws Exception {
        String env = Fixtures.environment();
        String clientId = Fixtures.client(env).path("clientId");
        String secrets = "/api/v1/environments/" + env + "/clients/" + clientId + "/secrets";
        try (Race race = new Race(2, 28)) {
            for (int round = 0; round < 12; round++) {
                String secretId = Fixtures.secret(env, clientId).path("id");
                Map<String, Integer> status = new ConcurrentHashMap<>();
                List<Runnable> leasers = new ArrayList<>();
                for (String side : List.of("a", "b")) {
                    String webhook = "wh_pin_" + side + round;
                    String site = side + round + ".example";
                    leasers.add(
                            () -> status.put(site, Fixtures.exchangeLease(env, webhook, site, secretId).statusCode()));
                }
                race.run(leasers);

                List<Integer> codes = new ArrayList<>(status.values());
                Collections.sort(codes);
                assertEquals(List.of(200, 422), codes, "round " + round + ": " + status);
                String winner = status.entrySet().stream().filter(e -> e.getValue() == 200).findFirst().orElseThrow()
                        .getKey();
                String pinned = as(TestTokens.admin(env)).get(secrets)
                        .path("find { it.id == '" + secretId + "' }.disclosedTo");
                assertEquals(winner, pinned, "round " + round);

                for (String side : List.of("a", "b")) {
                    as(TestTokens.service()).delete("/internal/v1/webhooks/wh_pin_" + side + round + "/leases").then()
                            .statusCode(204);
                }
                // stay under the active-secrets limit
                as(TestTokens.admin(env)).post(secrets + "/" + secretId + "/invalidate").then().statusCode(200);
            }
        }
    }
}
