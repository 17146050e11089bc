package io.keyhook.webhooks.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.webhooks.support.CredentialsStub;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An Environment keyhook.environments has not brought yet is asked of credentials-service before any answer: known
 * there, it is usable at once; unknown there too, the usual 404; credentials-service unreachable, a 503 problem.
 */
@QuarkusTest
class ReadYourWritesTest {

    @Inject
    EnvironmentView view;

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

    /**
     * Issue 30: what credentials-service answered is learnt in place of the topic's record, so it must carry the
     * maximum secret age too (else the signing-key age job would skip the Environment until its next change).
     */
    @Test
    void anEnvironmentLearntFromCredentialsServiceKeepsItsMaximumSecretAge() {
        String env = unseen();
        CredentialsStub.shared().environmentWithMaxAge(env, 30, 7, "patients");
        given().auth().oauth2(Environments.admin(env)).get(types(env)).then().statusCode(200);
        assertEquals(30, view.environment(env).secretMaxAgeDays());
        assertEquals(7, view.environment(env).secretExpiryGraceDays());

        String without = unseen();
        CredentialsStub.shared().environment(without, "patients");
        given().auth().oauth2(Environments.admin(without)).get(types(without)).then().statusCode(200);
        assertFalse(view.environment(without).hasSecretMaxAge());
        assertNull(view.environment(without).secretExpiryGraceDays(), "no grace without a maximum, as on the topic");
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
