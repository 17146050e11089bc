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

    /**
     * The status a real answer had is one the served document lists for that operation (and so the committed one, which
     * {@link #assertServedEquals} keeps equal): a 201 documented as 200 fails here.
     */
    public static void assertDocumentedStatus(String method, String pathTemplate, int actualStatus) {
        String doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        try {
            var responses = new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc).path("paths")
                    .path(pathTemplate).path(method.toLowerCase(java.util.Locale.ROOT)).path("responses");
            if (!responses.has(String.valueOf(actualStatus))) {
                throw new AssertionError(method + " " + pathTemplate + " answered " + actualStatus
                        + ", which its OpenAPI document does not list (it lists "
                        + responses.properties().stream().map(java.util.Map.Entry::getKey).toList() + ")");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
