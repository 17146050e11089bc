package io.keyhook.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed OpenAPI document of a service must equal what it serves at {@code /q/openapi}. After an intended API
 * change, regenerate it with
 * {@code KEYHOOK_UPDATE_OPENAPI=true ./mvnw -B verify -pl <service> -Dtest=OpenApiDriftTest}.
 */
public final class OpenApiDrift {

    private OpenApiDrift() {
    }

    public static void assertServedEquals(Path committed) throws IOException {
        String served = given().get("/q/openapi").then().statusCode(200).extract().asString();
        if ("true".equals(System.getenv("KEYHOOK_UPDATE_OPENAPI"))) {
            Files.createDirectories(committed.toAbsolutePath().getParent());
            Files.writeString(committed, served);
        }
        assertEquals(Files.readString(committed), served,
                "the API changed: review it, then regenerate " + committed + " (see OpenApiDrift's javadoc)");
    }
}
