package io.keyhook.webhooks.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.webhooks.support.CredentialsStub;
import io.keyhook.webhooks.support.Environments;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An Environment keyhook.environments has not brought yet is asked of credentials-service before any answer: known
 * there, it is usable at once; unknown there too, the usual 404; credentials-service unreachable, a 503 problem.
 */
@QuarkusTest
class ReadYourWritesTest {

    static String unseen() {
        return "env-ryw-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
    }

    static String types(String env) {
        return "/api/v1/environments/" + env + "/notification-types";
    }

    @Test
    void anEnvironmentOnlyCredentialsServiceKnowsIsUsableAtOnce() {
        String env = unseen();
        CredentialsStub.shared().environment(env, "patients");
        given().auth().oauth2(Environments.admin(env)).get(types(env)).then().statusCode(200).body("",
                hasItem("patients.updated"));
    }

    @Test
    void anEnvironmentUnknownThereTooIsTheUsual404() {
        String env = unseen();
        given().auth().oauth2(Environments.admin(env)).get(types(env)).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("environment_not_found"));
    }

    @Test
    void credentialsServiceUnreachableIsA503Problem() {
        String env = unseen();
        CredentialsStub.shared().down(true);
        try {
            given().auth().oauth2(Environments.admin(env)).get(types(env)).then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "2")
                    .body("code", equalTo("credentials_unavailable"));
        } finally {
            CredentialsStub.shared().down(false);
        }
    }
}
