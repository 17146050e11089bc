package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.Postgres;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AuditTest {

    @Test
    void adminActionsAndRefusalsAreAuditedAndPaged() {
        String env = Fixtures.environment();
        String clientId = Fixtures.client(env).path("clientId");
        Fixtures.secret(env, clientId);
        as(TestTokens.admin(env))
                .post("/api/v1/environments/" + env + "/clients/" + clientId + "/secrets/sec_nope/invalidate").then()
                .statusCode(404);

        String audit = "/api/v1/environments/" + env + "/audit";
        as(TestTokens.admin(env)).get(audit).then().statusCode(200).body("items.action", hasItem("client.create"))
                .body("items.action", hasItem("client.secret.create"))
                .body("items.result", hasItem("refused:secret_not_found"))
                .body("items.actor", everyItem(notNullValue())).body("items.environment", everyItem(equalTo(env)));
        as(TestTokens.admin(env)).queryParam("action", "client.create").get(audit).then().body("items", hasSize(1))
                .body("items[0].targetId", equalTo(clientId)).body("items[0].actor", equalTo("admin-" + env));

        String next = as(TestTokens.admin(env)).queryParam("limit", 1).get(audit).then().body("items", hasSize(1))
                .extract().path("nextCursor");
        as(TestTokens.admin(env)).queryParam("limit", 1).queryParam("cursor", next).get(audit).then().body("items",
                hasSize(1));
        as(TestTokens.admin(env)).queryParam("from", "yesterday").get(audit).then().statusCode(400).body("code",
                equalTo("invalid_timestamp"));
    }

    @Test
    void requestsRefusedForTheirRoleAreAuditedWithWhoAndWhat() {
        String env = Fixtures.environment();
        // an operator may not manage clients: 403, recorded in the Environment's trail
        as(TestTokens.token("op-mallory", java.util.List.of("platform-operator"), java.util.List.of("*")))
                .body(java.util.Map.of("name", "x")).post("/api/v1/environments/" + env + "/clients").then()
                .statusCode(403);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> as(TestTokens.admin(env)).queryParam("action", "access.denied")
                        .get("/api/v1/environments/" + env + "/audit").then().statusCode(200).body("items", hasSize(1))
                        .body("items[0].actor", equalTo("op-mallory"))
                        .body("items[0].result", equalTo("refused:forbidden"))
                        .body("items[0].targetId", equalTo("POST /api/v1/environments/" + env + "/clients")));
    }

    @Test
    void theAuditTableIsAppendOnlyForTheApplicationsRole() throws SQLException {
        Fixtures.environment();
        var server = Postgres.server();
        try (Connection c = server.connect("credentials_test"); Statement st = c.createStatement()) {
            assertThrows(SQLException.class,
                    () -> st.executeUpdate("update credentials.audit_log set actor = 'mallory'"));
            assertThrows(SQLException.class, () -> st.executeUpdate("delete from credentials.audit_log"));
            assertThrows(SQLException.class, () -> st.executeUpdate("truncate credentials.audit_log"));
        }
    }
}
