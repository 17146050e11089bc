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

    /**
     * A real answer against the served document: its status is listed for the operation, and its JSON body fits the
     * schema documented for that status. "Fits": every field the body has is documented (no undocumented field), with
     * the documented type (object, array, string, integer, number, boolean), recursively through {@code $ref},
     * {@code items} and {@code additionalProperties}. A null value is accepted for any field: the generator does not
     * document nullability.
     */
    public static void assertDocumentedResponse(String method, String pathTemplate, int status, String body) {
        assertDocumentedStatus(method, pathTemplate, status);
        String doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        try {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var document = json.readTree(doc);
            var schema = document.path("paths").path(pathTemplate).path(method.toLowerCase(java.util.Locale.ROOT))
                    .path("responses").path(String.valueOf(status)).path("content").path("application/json")
                    .path("schema");
            if (schema.isMissingNode()) {
                if (body != null && !body.isBlank()) {
                    throw new AssertionError(method + " " + pathTemplate + " " + status
                            + " answered a body its document does not describe: " + body);
                }
                return;
            }
            java.util.List<String> problems = new java.util.ArrayList<>();
            fits(document, schema, json.readTree(body), "$", problems);
            if (!problems.isEmpty()) {
                throw new AssertionError(method + " " + pathTemplate + " " + status
                        + ": the answer does not fit its documented schema: " + problems + "\n" + body);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void fits(com.fasterxml.jackson.databind.JsonNode document,
            com.fasterxml.jackson.databind.JsonNode schema, com.fasterxml.jackson.databind.JsonNode value, String at,
            java.util.List<String> problems) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            fits(document, document.at(ref.substring(1)), value, at, problems);
            return;
        }
        if (value == null || value.isNull()) {
            return;
        }
        for (String combinator : java.util.List.of("allOf")) {
            for (var part : schema.path(combinator)) {
                fits(document, part, value, at, problems);
            }
        }
        java.util.Set<String> types = new java.util.HashSet<>();
        var type = schema.path("type");
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else if (type.isTextual()) {
            types.add(type.asText());
        }
        if (types.isEmpty()) {
            return; // no type documented: anything goes
        }
        String actual = value.isObject() ? "object"
                : value.isArray() ? "array" : value.isTextual() ? "string" : value.isIntegralNumber() ? "integer"
                        : value.isNumber() ? "number" : value.isBoolean() ? "boolean" : "?";
        if (!types.contains(actual) && !("integer".equals(actual) && types.contains("number"))) {
            problems.add(at + " is " + actual + ", documented as " + types);
            return;
        }
        if (value.isArray()) {
            int i = 0;
            for (var item : value) {
                fits(document, schema.path("items"), item, at + "[" + i++ + "]", problems);
            }
        } else if (value.isObject()) {
            var properties = schema.path("properties");
            var additional = schema.path("additionalProperties");
            if (properties.isMissingNode() && additional.isMissingNode()) {
                return; // a free-form object
            }
            for (var field : value.properties()) {
                if (properties.has(field.getKey())) {
                    fits(document, properties.get(field.getKey()), field.getValue(), at + "." + field.getKey(),
                            problems);
                } else if (additional.isObject()) {
                    fits(document, additional, field.getValue(), at + "." + field.getKey(), problems);
                } else if (!additional.asBoolean(false)) {
                    problems.add(at + "." + field.getKey() + " is not documented");
                }
            }
        }
    }
}
