package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.newAddress;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.token.service.TokenAudit;
import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Issue 30: a client's allowed scopes and token lifetime. A request gets exactly the scopes it asked for when the
 * client's allowed scopes cover them (all of them when it asks for none), else {@code invalid_scope}; the lifetime is
 * the client's, cut to {@code keyhook.token.max-lifetime} (3600 s by default). Today's clients are answered as before.
 */
@QuarkusTest
class ScopesAndLifetimeTest {

    @Inject
    CredentialView view;

    @Inject
    TokenAudit audit;

    TestClients.Client scoped(String env, List<String> scopes, Long lifetime) {
        TestClients.Client c = TestClients.apiClient(env);
        TestClients.publish(c, scopes, lifetime);
        return Views.awaitKnown(view, c);
    }

    static Response ask(TestClients.Client c, String scope) {
        return OAuth.from(newAddress()).auth().preemptive().basic(c.clientId(), c.secret().value())
                .formParam("grant_type", "client_credentials").formParam("scope", scope).post("/oauth2/token");
    }

    static void granted(TestClients.Client c, String asked, String expected) {
        Response r = ask(c, asked);
        r.then().statusCode(200).body("scope", equalTo(expected));
        assertEquals(expected, OAuth.part(r.path("access_token"), 1).path("scope").asText(), "the token's scope");
    }

    static void refused(TestClients.Client c, String asked) {
        ask(c, asked).then().statusCode(400).contentType("application/json").header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_scope"));
    }

    @Test
    void todaysClientsGetTodaysAnswer() {
        TestClients.Client c = Views.awaitKnown(view,
                TestClients.publish(TestClients.apiClient(TestClients.environment())));
        Response r = basic(c);
        r.then().statusCode(200).body("scope", equalTo("read write")).body("expires_in", equalTo(900));
        JsonNode claims = OAuth.part(r.path("access_token"), 1);
        assertEquals("read write", claims.path("scope").asText());
        assertEquals(900, claims.path("exp").asLong() - claims.path("iat").asLong());
        granted(c, "write", "write");
        granted(c, "read read", "read");
        refused(c, "admin");
        // the default read/write stand for every data type of the Configuration, in SMART's form too
        granted(c, "system/patients.read system/*.cud", "system/patients.read system/*.cud");
    }

    @Test
    void aScopedClientGetsItsScopesOrExactlyTheSubsetItAsksFor() {
        TestClients.Client c = scoped(TestClients.environment(),
                List.of("system/patients.cruds", "system/encounters.read", "system/*.s"), null);
        Response r = basic(c);
        r.then().statusCode(200).body("scope", equalTo("system/patients.cruds system/encounters.read system/*.s"))
                .body("expires_in", equalTo(900));
        granted(c, "system/patients.rs", "system/patients.rs");
        granted(c, "system/encounters.rs system/patients.c", "system/encounters.rs system/patients.c");
        // search on any data type comes from system/*.s
        granted(c, "system/observations.s", "system/observations.s");
        refused(c, "system/encounters.write");
        refused(c, "system/observations.r");
        refused(c, "read");
        refused(c, "system/patients.rs write");
        refused(c, "system/patients.sr");
    }

    @Test
    void aWildcardCoversEveryDataTypeAndV1AndV2SayTheSame() {
        String env = TestClients.environment();
        TestClients.Client wildcard = scoped(env, List.of("system/*.read"), null);
        granted(wildcard, "system/patients.read system/encounters.rs system/labs.r",
                "system/patients.read system/encounters.rs system/labs.r");
        granted(wildcard, "read", "read");
        refused(wildcard, "system/patients.write");
        refused(wildcard, "system/patients.rsu");

        TestClients.Client v1 = scoped(env, List.of("system/patients.read", "system/patients.write"), null);
        granted(v1, "system/patients.cruds", "system/patients.cruds");
        granted(v1, "system/patients.rs system/patients.cud", "system/patients.rs system/patients.cud");
        refused(v1, "system/*.read");
        TestClients.Client v2 = scoped(env, List.of("system/patients.rs"), null);
        granted(v2, "system/patients.read", "system/patients.read");
        refused(v2, "system/patients.write");
    }

    @Test
    void aRefusedScopeIsAuditedInTheClientsEnvironment() {
        String env = TestClients.environment();
        TestClients.Client c = scoped(env, List.of("system/patients.rs"), null);
        ask(c, "system/patients.rs system/encounters.rs").then().statusCode(400).body("error", equalTo("invalid_scope"))
                .body("error_description", containsString("system/encounters.rs"));
        // an over-long parameter is refused before it is split
        ask(c, "system/patients.rs ".repeat(500)).then().statusCode(400).body("error", equalTo("invalid_scope"))
                .body("error_description", equalTo("scope is too long"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> audit.flushed(Duration.ofSeconds(1)));
        TestClients.Client op = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("platform-operator"), List.of("*"))));
        given().auth().oauth2(basic(op).<String> path("access_token"))
                .get("/api/v1/environments/" + env + "/token-audit").then().statusCode(200)
                .body("items.findAll { it.action == 'token.refused' && it.reason == 'invalid_scope' }.size()",
                        equalTo(2))
                .body("items.find { it.reason == 'invalid_scope' }.target", equalTo(c.clientId()));
    }

    @Test
    void aFloodOfRefusedScopesReachesTheSourcesLimitButNotTheClientsGoodRequests() {
        TestClients.Client c = scoped(TestClients.environment(), List.of("system/patients.rs"), null);
        String address = newAddress();
        int refused400 = 0;
        int refused429 = 0;
        for (int i = 0; i < 45; i++) {
            int status = OAuth.from(address).auth().preemptive().basic(c.clientId(), c.secret().value())
                    .formParam("grant_type", "client_credentials").formParam("scope", "system/patients.write")
                    .post("/oauth2/token").then().extract().statusCode();
            refused400 += status == 400 ? 1 : 0;
            refused429 += status == 429 ? 1 : 0;
        }
        // %test.keyhook.token.limits.failed-authentication-per-source.max=40, as for any other 400 (issue 28)
        assertEquals(40, refused400, "400s until the source's limit");
        assertEquals(5, refused429, "then 429");
        OAuth.basic(address, c.clientId(), c.secret().value()).then().statusCode(200).body("scope",
                equalTo("system/patients.rs"));
    }

    @Test
    void aClientsLifetimeIsUsedAndCutToTheMaximum() {
        String env = TestClients.environment();
        TestClients.Client shortLived = scoped(env, null, 120L);
        Response r = basic(shortLived);
        r.then().statusCode(200).body("expires_in", equalTo(120)).body("scope", equalTo("read write"));
        JsonNode claims = OAuth.part(r.path("access_token"), 1);
        assertEquals(120, claims.path("exp").asLong() - claims.path("iat").asLong());

        TestClients.Client longLived = scoped(env, List.of("read"), 86_400L);
        r = basic(longLived);
        r.then().statusCode(200).body("expires_in", equalTo(3600)).body("scope", equalTo("read"));
        claims = OAuth.part(r.path("access_token"), 1);
        assertEquals(3600, claims.path("exp").asLong() - claims.path("iat").asLong());
    }

    @Test
    void theCompatExchangeGivesAScopedClientItsScopesAndLifetime() {
        TestClients.Client c = scoped(TestClients.environment(), List.of("system/patients.rs"), 300L);
        Response r = given().header("X-Forwarded-For", newAddress()).contentType("application/json")
                .body(Map.of("apiClient", c.clientId(), "secret", c.secret().value())).post("/auth/token");
        r.then().statusCode(200);
        JsonNode claims = OAuth.part(r.path("token"), 1);
        assertEquals("system/patients.rs", claims.path("scope").asText());
        assertEquals(300, claims.path("exp").asLong() - claims.path("iat").asLong());
        Instant expiresAt = Instant.parse(r.path("expiresAt"));
        assertTrue(Math.abs(expiresAt.getEpochSecond() - claims.path("exp").asLong()) <= 1, expiresAt.toString());
    }
}
