package io.keyhook.credentials.api;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Each endpoint family x {no token, forged token, wrong role, other Environment, right role} -> 401/401/403/404/2xx,
 * always with problem+json on failure.
 */
@QuarkusTest
class SecurityMatrixTest {

    static String envA;
    static String envB;
    static String clientOfA;
    static String secretOfA;
    static String adminClient;

    private static java.util.Map<String, Case> byName;

    // fixtures need the running app, which @MethodSource and static @BeforeAll run before
    static synchronized Case named(String name) {
        if (byName == null) {
            setUp();
            byName = new java.util.HashMap<>();
            all().forEach(c -> byName.put(c.name(), c));
        }
        return byName.get(name);
    }

    static void setUp() {
        envA = Fixtures.environment();
        envB = Fixtures.environment();
        var client = Fixtures.client(envA);
        clientOfA = client.path("clientId");
        secretOfA = client.path("secret.id");
        adminClient = Fixtures.as(TestTokens.operator())
                .body(Map.of("name", "ci bot", "groups", List.of("integration-admin"), "environments", List.of(envA)))
                .post("/api/v1/admin-clients").then().statusCode(201).extract().path("clientId");
    }

    /**
     * An endpoint, the token with the right role, the token with a wrong role, and one limited to another Environment.
     */
    record Case(String name, String method, String path, Object body, String right, String wrongRole, String otherEnv,
            int ok) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<String> cases() {
        return Stream.of("list configurations", "write configuration", "create environment", "read environment",
                "patch environment", "list clients", "create client", "get client", "patch client", "list secrets",
                "create secret", "invalidate secret", "audit", "list admin clients", "get admin client", "leases",
                "rotate key");
    }

    static Stream<Case> all() {
        String operator = TestTokens.operator();
        String adminA = TestTokens.admin(envA);
        String adminB = TestTokens.admin(envB);
        String clients = "/api/v1/environments/" + envA + "/clients";
        String client = clients + "/" + clientOfA;
        return Stream.of(
                new Case("list configurations", "GET", "/api/v1/configurations", null, adminA, TestTokens.service(),
                        null, 200),
                new Case("write configuration", "PUT", "/api/v1/configurations/" + Fixtures.uniqueId("cfg"),
                        Map.of("dataTypes", List.of("patients")), operator, adminA, null, 201),
                new Case("create environment", "POST", "/api/v1/environments",
                        Map.of("id", Fixtures.uniqueId("env"), "name", "E", "configuration", "missing"), operator,
                        adminA, null, 422),
                new Case("read environment", "GET", "/api/v1/environments/" + envA, null, adminA, TestTokens.service(),
                        adminB, 200),
                new Case("patch environment", "PATCH", "/api/v1/environments/" + envA, Map.of("name", "Renamed"),
                        operator, adminA, null, 200),
                new Case("list clients", "GET", clients, null, adminA, operator, adminB, 200),
                new Case("create client", "POST", clients, Map.of("name", "x"), adminA, operator, adminB, 201),
                new Case("get client", "GET", client, null, adminA, operator, adminB, 200),
                new Case("patch client", "PATCH", client, Map.of("description", "d"), adminA, operator, adminB, 200),
                new Case("list secrets", "GET", client + "/secrets", null, adminA, operator, adminB, 200),
                new Case("create secret", "POST", client + "/secrets", null, adminA, operator, adminB, 201),
                new Case("invalidate secret", "POST", client + "/secrets/sec_unknown/invalidate", null, adminA,
                        operator, adminB, 404),
                new Case("audit", "GET", "/api/v1/environments/" + envA + "/audit", null, adminA, TestTokens.service(),
                        adminB, 200),
                new Case("list admin clients", "GET", "/api/v1/admin-clients", null, operator, adminA, null, 200),
                new Case("get admin client", "GET", "/api/v1/admin-clients/" + adminClient, null, operator, adminA,
                        null, 200),
                new Case("leases", "GET", "/internal/v1/webhooks/wh_x/leases", null, TestTokens.service(), adminA, null,
                        200),
                new Case("rotate key", "POST", "/api/v1/secret-encryption-key/rotate", null, operator, adminA, null,
                        200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void accessIsDecidedByTokenRoleAndEnvironment(String name) {
        Case c = named(name);
        send(given(), c).then().statusCode(401).contentType("application/problem+json");
        send(given().auth().oauth2(TestTokens.forged()), c).then().statusCode(401)
                .contentType("application/problem+json");
        send(given().auth().oauth2(c.wrongRole()), c).then().statusCode(403).contentType("application/problem+json");
        if (c.otherEnv() != null) {
            send(given().auth().oauth2(c.otherEnv()), c).then().statusCode(404).contentType("application/problem+json");
        }
        send(given().auth().oauth2(c.right()), c).then().statusCode(c.ok());
    }

    private static io.restassured.response.Response send(RequestSpecification spec, Case c) {
        spec = spec.contentType(ContentType.JSON);
        if (c.body() != null) {
            spec = spec.body(c.body());
        }
        return spec.request(c.method(), c.path());
    }
}
