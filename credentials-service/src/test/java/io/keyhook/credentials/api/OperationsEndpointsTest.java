package io.keyhook.credentials.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Health for Kubernetes probes and Prometheus metrics, without a token. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void healthAndMetricsAreServed() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        // after a database restart (DatabaseOutageTest) the JDBC pool drops its stale connection on the
        // first failed probe; readiness must be UP again within a few probes
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .pollInterval(java.time.Duration.ofSeconds(1)).untilAsserted(
                        () -> given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        given().get("/q/metrics").then().statusCode(200).body(containsString("keyhook_outbox_pending"))
                .body(containsString("jvm_memory_used_bytes"));
    }
}
