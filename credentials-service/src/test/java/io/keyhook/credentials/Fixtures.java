package io.keyhook.credentials;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.keyhook.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Builds the objects tests need through the public API, as an operator or admin would. */
public final class Fixtures {

    private Fixtures() {
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh Configuration and an Environment using it; returns the Environment id. */
    public static String environment() {
        String config = uniqueId("cfg");
        as(TestTokens.operator()).body(Map.of("dataTypes", List.of("patients", "encounters")))
                .put("/api/v1/configurations/" + config).then().statusCode(201);
        String env = uniqueId("env");
        as(TestTokens.operator()).body(Map.of("id", env, "name", "Env " + env, "configuration", config))
                .post("/api/v1/environments").then().statusCode(201);
        return env;
    }

    /** Creates an API client; the response holds its first secret. */
    public static Response client(String env) {
        return as(TestTokens.admin(env)).body(Map.of("name", "App " + UUID.randomUUID()))
                .post("/api/v1/environments/" + env + "/clients").then().statusCode(201).extract().response();
    }

    public static Response secret(String env, String clientId) {
        return as(TestTokens.admin(env)).post("/api/v1/environments/" + env + "/clients/" + clientId + "/secrets")
                .then().statusCode(201).extract().response();
    }

    public static Response lease(String env, String webhookId, String... secretIds) {
        return as(TestTokens.service()).body(Map.of("environment", env, "secretIds", List.of(secretIds)))
                .put("/internal/v1/webhooks/" + webhookId + "/leases").then().extract().response();
    }

    /** Leases secrets for token exchange: each is sent to the token endpoint on {@code site}. */
    public static Response exchangeLease(String env, String webhookId, String site, String... secretIds) {
        return as(TestTokens.service())
                .body(Map.of("environment", env, "secretIds", List.of(secretIds), "disclosure",
                        Map.of("purpose", "token-exchange", "site", site, "secretIds", List.of(secretIds))))
                .put("/internal/v1/webhooks/" + webhookId + "/leases").then().extract().response();
    }
}
