package io.keyhook.credentials.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The committed OpenAPI document ({@code openapi/credentials-service.yaml}) must equal what the service serves. After
 * an intended API change, regenerate it with
 * {@code KEYHOOK_UPDATE_OPENAPI=true ./mvnw -B verify -pl credentials-service -Dtest=OpenApiDriftTest}.
 */
@QuarkusTest
class OpenApiDriftTest {

    private static final Path COMMITTED = Path.of("openapi/credentials-service.yaml");

    @Test
    void servedOpenApiMatchesTheCommittedCopy() throws Exception {
        String served = given().get("/q/openapi").then().statusCode(200).extract().asString();
        if ("true".equals(System.getenv("KEYHOOK_UPDATE_OPENAPI"))) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, served);
        }
        assertEquals(Files.readString(COMMITTED), served,
                "the API changed: review it, then regenerate " + COMMITTED + " (see this test's javadoc)");
    }
}
