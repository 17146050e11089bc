package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code PUT /api/v1/configurations/{name}}: 201 with a Location when it creates, 200 when it updates or changes
 * nothing.
 */
@QuarkusTest
class ConfigurationPutTest {

    @Test
    void creatingAnswers201WithLocationAndUpdatingAnswers200() {
        String name = Fixtures.uniqueId("cfg");
        String path = "/api/v1/configurations/" + name;

        as(TestTokens.operator()).body(Map.of("dataTypes", List.of("patients"))).put(path).then().statusCode(201)
                .header("Location", endsWith(path)).body("name", equalTo(name)).body("version", equalTo(1));

        as(TestTokens.operator()).body(Map.of("dataTypes", List.of("patients"))).put(path).then().statusCode(200)
                .header("Location", nullValue()).body("version", equalTo(1));

        as(TestTokens.operator()).body(Map.of("dataTypes", List.of("patients", "encounters"))).put(path).then()
                .statusCode(200).header("Location", nullValue()).body("version", equalTo(2));
    }
}
