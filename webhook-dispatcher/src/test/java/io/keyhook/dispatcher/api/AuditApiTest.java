package io.keyhook.dispatcher.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.common.audit.AuditLog;
import io.keyhook.dispatcher.persistence.SecretUseAudit;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** The secret-use audit trail pages like every audit API: a cursor only when more entries follow. */
@QuarkusTest
class AuditApiTest {

    @Inject
    SecretUseAudit audit;

    @Inject
    AuditLog log;

    @Test
    void aFullLastPageHasNoCursorSoNoEmptyPageFollows() {
        String env = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        audit.record(env, "wh_1", "secret.sent", "receiver.example.com", "success", "sec_1");
        audit.record(env, "wh_2", "secret.withheld", "elsewhere.example.com", "refused", "sec_2");
        assertTrue(log.flushed(Duration.ofSeconds(10)));
        String path = "/api/v1/environments/" + env + "/audit";

        given().auth().oauth2(TestTokens.admin(env)).queryParam("limit", 2).get(path).then().statusCode(200)
                .body("items.action", contains("secret.withheld", "secret.sent")).body("nextCursor", nullValue());
        String next = given().auth().oauth2(TestTokens.admin(env)).queryParam("limit", 1).get(path).then()
                .statusCode(200).body("items.action", contains("secret.withheld")).extract().path("nextCursor");
        given().auth().oauth2(TestTokens.admin(env)).queryParam("limit", 1).queryParam("cursor", next).get(path).then()
                .statusCode(200).body("items.action", contains("secret.sent")).body("nextCursor", equalTo(null));
    }
}
