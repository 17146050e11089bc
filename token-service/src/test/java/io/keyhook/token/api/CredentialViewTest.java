package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;

/** The view survives what a topic can throw at it, and readiness reports it. */
@QuarkusTest
class CredentialViewTest {

    @Inject
    CredentialView view;

    @Test
    void malformedRecordsAreSkippedAndCounted() {
        TestClients.send("cl_broken1", "{not json");
        TestClients.send("cl_broken2", "{\"clientId\":\"cl_other\",\"status\":\"active\"}");
        TestClients.send("cl_broken3", "[]");
        // the reader is still alive: a record after them is applied
        TestClients.Client c = Views.awaitKnown(view,
                TestClients.publishToTopicOnly(TestClients.apiClient(TestClients.environment())));
        basic(c).then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("keyhook_token_view_malformed_records_total 3.0"));
    }

    @Test
    void aTombstoneForgetsTheClient() {
        TestClients.Client c = Views.awaitKnown(view,
                TestClients.publishToTopicOnly(TestClients.apiClient(TestClients.environment())));
        basic(c).then().statusCode(200);
        TestClients.send(c.clientId(), null);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> view.client(c.clientId()) == null);
    }

    @Test
    void readinessReportsTheCaughtUpView() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'credential-view' }.status", equalTo("UP"));
    }
}
