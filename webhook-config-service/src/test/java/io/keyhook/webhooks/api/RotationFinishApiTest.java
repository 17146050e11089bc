package io.keyhook.webhooks.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.testing.TestTokens;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The finish request as its callers send it: the runner and older scripts POST no body at all; an override needs a
 * reason without control characters. (The verification itself runs against the real suite: GuidedRotationE2ETest.)
 */
@QuarkusTest
class RotationFinishApiTest {

    @Inject
    EnvironmentView view;

    private static String rotations(String env) {
        return "/api/v1/environments/" + env + "/rotations";
    }

    @Test
    void aFinishWithNoBodyOrContentTypeIsStillAccepted() {
        String env = Environments.create(view, "patients");
        // no Content-Type, no body, as `./keyhook rotate finish` sends it: the rotation is looked up (not a 415)
        given().auth().oauth2(TestTokens.admin(env)).post(rotations(env) + "/rot_missing/finish").then().statusCode(404)
                .body("code", equalTo("rotation_not_found"));
        given().auth().oauth2(TestTokens.admin(env)).contentType(ContentType.JSON).body("{}")
                .post(rotations(env) + "/rot_missing/finish").then().statusCode(404);
        given().auth().oauth2(TestTokens.admin(env)).post(rotations(env) + "/rot_missing/checks").then().statusCode(404)
                .body("code", equalTo("rotation_not_found"));
    }

    @Test
    void anOverrideNeedsAReasonWithoutControlCharacters() {
        String env = Environments.create(view, "patients");
        given().auth().oauth2(TestTokens.admin(env)).contentType(ContentType.JSON).body(Map.of("override", true))
                .post(rotations(env) + "/rot_missing/finish").then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("override_reason_required"));
        given().auth().oauth2(TestTokens.admin(env)).contentType(ContentType.JSON)
                .body(Map.of("override", true, "reason", "   ")).post(rotations(env) + "/rot_missing/finish").then()
                .statusCode(422).body("code", equalTo("override_reason_required"));
        given().auth().oauth2(TestTokens.admin(env)).contentType(ContentType.JSON)
                .body(Map.of("override", true, "reason", "line\u0000break"))
                .post(rotations(env) + "/rot_missing/finish").then().statusCode(422)
                .body("code", equalTo("validation_failed"));
        given().auth().oauth2(TestTokens.admin(env)).contentType(ContentType.JSON)
                .body(Map.of("override", true, "reason", "x".repeat(501))).post(rotations(env) + "/rot_missing/finish")
                .then().statusCode(422).body("code", equalTo("validation_failed"));
        // a well-formed override of a rotation that does not exist is still a 404
        given().auth().oauth2(TestTokens.admin(env)).contentType(ContentType.JSON)
                .body(Map.of("override", true, "reason", "receiver confirmed by phone"))
                .post(rotations(env) + "/rot_missing/finish").then().statusCode(404);
    }
}
