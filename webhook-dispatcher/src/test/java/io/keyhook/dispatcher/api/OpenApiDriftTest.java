package io.keyhook.dispatcher.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.dispatcher.service.DeliveryFlowTest;
import io.keyhook.testing.OpenApiDrift;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The committed {@code openapi/webhook-dispatcher.yaml} is what the service serves (see {@link OpenApiDrift}), and real
 * answers fit what it documents.
 */
@QuarkusTest
class OpenApiDriftTest {

    @Test
    void servedOpenApiMatchesTheCommittedCopy() throws Exception {
        OpenApiDrift.assertServedEquals(Path.of("openapi/webhook-dispatcher.yaml"));
    }

    @Test
    void realAnswersFitTheirDocumentedSchemas() throws Exception {
        String[] w = DeliveryFlowTest.webhookAt("/documented", List.of("patients.updated"));
        String env = w[0];
        DeliveryFlowTest.event(env, "doc1", "patients.updated", "p-1");
        String base = "/api/v1/environments/" + env + "/webhooks/" + w[1] + "/deliveries";
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(TestTokens.admin(env))
                .get(base + "?status=delivered").then().extract().jsonPath().getList("items").size() == 1);
        Response page = given().auth().oauth2(TestTokens.admin(env)).get(base);
        documented("GET", "/api/v1/environments/{env}/webhooks/{webhookId}/deliveries", page);
        documented("GET", "/api/v1/environments/{env}/webhooks/{webhookId}/deliveries/{deliveryId}",
                given().auth().oauth2(TestTokens.admin(env)).get(base + "/" + page.path("items[0].id")));
        documented("GET", "/api/v1/environments/{env}/dropped-events",
                given().auth().oauth2(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/dropped-events"));
        documented("GET", "/api/v1/environments/{env}/breakers",
                given().auth().oauth2(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/breakers"));
        documented("GET", "/api/v1/environments/{env}/webhooks/{webhookId}/gaps", given().auth()
                .oauth2(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/webhooks/" + w[1] + "/gaps"));

        // and the check can fail: an undocumented field, a field of another type, an undocumented status
        String path = "/api/v1/environments/{env}/webhooks/{webhookId}/deliveries";
        String body = page.asString();
        assertThrows(AssertionError.class, () -> OpenApiDrift.assertDocumentedResponse("GET", path, 200,
                body.replaceFirst("\\{", "{\"surprise\":1,")));
        assertThrows(AssertionError.class, () -> OpenApiDrift.assertDocumentedResponse("GET", path, 200,
                body.replaceFirst("\"attempts\":1", "\"attempts\":\"1\"")));
        assertThrows(AssertionError.class, () -> OpenApiDrift.assertDocumentedResponse("GET", path, 201, body));
    }

    private static void documented(String method, String path, Response r) {
        OpenApiDrift.assertDocumentedResponse(method, path, r.statusCode(), r.asString());
    }
}
