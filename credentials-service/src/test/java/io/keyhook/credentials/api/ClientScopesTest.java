package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.Race;
import io.keyhook.testing.TestTokens;
import io.keyhook.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 30: an API client's allowed scopes and token lifetime, on create and PATCH, in every response, on
 * {@code keyhook.credentials}; refusals name the bad scope. (The Fixtures' Configuration offers patients and
 * encounters.)
 */
@QuarkusTest
class ClientScopesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SCOPES = List.of("system/patients.rs", "system/encounters.read", "system/*.s", "write");

    static String base(String env) {
        return "/api/v1/environments/" + env + "/clients";
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    static JsonNode published(String clientId, int count) throws Exception {
        var mine = TopicReader.readAll("keyhook.credentials").stream().filter(r -> clientId.equals(r.key())).toList();
        assertEquals(count, mine.size(), "records of " + clientId);
        return JSON.readTree(mine.get(count - 1).value());
    }

    @Test
    void aClientsScopesAndLifetimeAreStoredShownPublishedAndAudited() {
        String env = Fixtures.environment();
        String token = TestTokens.admin(env);
        String clientId = as(token).body(body("name", "Lab feed", "scopes", SCOPES, "tokenLifetimeSeconds", 300))
                .post(base(env)).then().statusCode(201).body("scopes", equalTo(SCOPES))
                .body("tokenLifetimeSeconds", equalTo(300)).extract().path("clientId");

        as(token).get(base(env) + "/" + clientId).then().statusCode(200).body("scopes", equalTo(SCOPES))
                .body("tokenLifetimeSeconds", equalTo(300));
        as(token).get(base(env)).then().statusCode(200).body("find { it.clientId == '" + clientId + "' }.scopes",
                equalTo(SCOPES));
        as(TestTokens.service()).get("/internal/v1/clients/" + clientId).then().statusCode(200)
                .body("scopes", equalTo(SCOPES)).body("tokenLifetimeSeconds", equalTo(300));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode record = published(clientId, 1);
            assertEquals(JSON.valueToTree(SCOPES), record.get("scopes"));
            assertEquals(300, record.get("tokenLifetimeSeconds").asInt());
        });
        as(token).queryParam("action", "client.create").get("/api/v1/environments/" + env + "/audit").then()
                .body("items[0].detail", containsString("scopes system/patients.rs system/encounters.read"))
                .body("items[0].detail", containsString("token lifetime 300s"));
    }

    @Test
    void aClientWithoutScopesKeepsTodaysDefaultsAndPublishesNoNewField() {
        String env = Fixtures.environment();
        String clientId = Fixtures.client(env).path("clientId");
        as(TestTokens.admin(env)).get(base(env) + "/" + clientId).then().statusCode(200).body("$", hasKey("scopes"))
                .body("scopes", nullValue()).body("$", hasKey("tokenLifetimeSeconds"))
                .body("tokenLifetimeSeconds", nullValue());
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode record = published(clientId, 1);
            assertFalse(record.has("scopes"), record.toString());
            assertFalse(record.has("tokenLifetimeSeconds"), record.toString());
        });
    }

    @Test
    void badScopesAreRefusedWithACodeNamingTheScopeAndAudited() {
        String env = Fixtures.environment();
        String token = TestTokens.admin(env);
        refused(env, List.of("read", "system/invoices.read"), "scope_unknown_data_type", "system/invoices.read");
        refused(env, List.of("system/patients.sr"), "scope_malformed", "system/patients.sr");
        refused(env, List.of("patient/patients.read"), "scope_malformed", "patient/patients.read");
        refused(env, List.of("system/patients.read\u0000"), "scope_malformed", "system/patients.read\uFFFD");
        refused(env, List.of("system/patients.read\n"), "scope_malformed", "system/patients.read\n");
        refused(env, List.of("read", "system/patients.rs", "read"), "scope_duplicate", "read");
        refused(env, List.of("system/" + "p".repeat(5_000) + ".read"), "scope_malformed", null);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            many.add(i % 2 == 0 ? "system/patients.read" : "system/encounters.read");
        }
        as(token).body(body("name", "x", "scopes", many)).post(base(env)).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("too_many_scopes"));
        as(token).body(body("name", "x", "scopes", List.of())).post(base(env)).then().statusCode(400).body("code",
                equalTo("scopes_empty"));
        as(token).body(body("name", "x", "scopes", Collections.singletonList(null))).post(base(env)).then()
                .statusCode(400).body("code", equalTo("scope_malformed"));
        for (long lifetime : new long[] { 0, 59, 86_401, -1 }) {
            as(token).body(body("name", "x", "tokenLifetimeSeconds", lifetime)).post(base(env)).then().statusCode(422)
                    .body("code", equalTo("validation_failed")).body("errors.field", hasItem("tokenLifetimeSeconds"));
        }
        as(token).get(base(env)).then().statusCode(200).body("$", org.hamcrest.Matchers.hasSize(0));
        as(token).queryParam("action", "client.create").get("/api/v1/environments/" + env + "/audit").then()
                .body("items.result", hasItem("refused:scope_unknown_data_type"))
                .body("items.result", hasItem("refused:scope_duplicate"));
    }

    static void refused(String env, List<String> scopes, String code, String named) {
        var then = as(TestTokens.admin(env)).body(body("name", "x", "scopes", scopes)).post(base(env)).then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo(code));
        if (named != null) {
            then.body("scope", equalTo(named));
        } else {
            then.body("scope.length()", org.hamcrest.Matchers.lessThanOrEqualTo(101));
        }
    }

    @Test
    void patchReplacesScopesAndLifetimeAndLeavesWhatItDoesNotName() throws Exception {
        String env = Fixtures.environment();
        String token = TestTokens.admin(env);
        String clientId = Fixtures.client(env).path("clientId");
        String path = base(env) + "/" + clientId;

        as(token).body(body("scopes", List.of("system/patients.cruds"))).patch(path).then().statusCode(200)
                .body("scopes", equalTo(List.of("system/patients.cruds"))).body("tokenLifetimeSeconds", nullValue());
        as(token).body(body("tokenLifetimeSeconds", 120)).patch(path).then().statusCode(200)
                .body("scopes", equalTo(List.of("system/patients.cruds"))).body("tokenLifetimeSeconds", equalTo(120));
        as(token).body(body("name", "renamed")).patch(path).then().statusCode(200)
                .body("scopes", equalTo(List.of("system/patients.cruds"))).body("tokenLifetimeSeconds", equalTo(120));
        // a refused PATCH changes nothing, not even what it named correctly
        as(token).body(body("name", "again", "scopes", List.of("system/invoices.rs"))).patch(path).then()
                .statusCode(400).body("code", equalTo("scope_unknown_data_type"))
                .body("scope", equalTo("system/invoices.rs"));
        as(token).get(path).then().body("name", equalTo("renamed")).body("scopes",
                equalTo(List.of("system/patients.cruds")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode record = published(clientId, 4);
            assertEquals("[\"system/patients.cruds\"]", record.get("scopes").toString());
            assertEquals(120, record.get("tokenLifetimeSeconds").asInt());
        });
        as(token).queryParam("action", "client.update").get("/api/v1/environments/" + env + "/audit").then()
                .body("items.result", hasItem("refused:scope_unknown_data_type"))
                .body("items.detail", hasItem(containsString("scopes system/patients.cruds, token lifetime 120s")));
        as(token).get(path).then().body("$", not(hasKey("secret")));
    }

    @Test
    void racingPatchesOfDifferentFieldsBothHold() throws Exception {
        String env = Fixtures.environment();
        String token = TestTokens.admin(env);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            paths.add(base(env) + "/" + Fixtures.client(env).path("clientId"));
        }
        List<Runnable> ops = new ArrayList<>();
        for (String path : paths) {
            ops.add(() -> as(token).body(body("scopes", List.of("read"))).patch(path).then().statusCode(200));
            ops.add(() -> as(token).body(body("tokenLifetimeSeconds", 600)).patch(path).then().statusCode(200));
            ops.add(() -> as(token).body(body("name", "raced")).patch(path).then().statusCode(200));
        }
        try (Race race = new Race(8, 30)) {
            race.run(ops);
        }
        for (String path : paths) {
            as(token).get(path).then().body("scopes", equalTo(List.of("read")))
                    .body("tokenLifetimeSeconds", equalTo(600)).body("name", equalTo("raced"));
        }
    }
}
