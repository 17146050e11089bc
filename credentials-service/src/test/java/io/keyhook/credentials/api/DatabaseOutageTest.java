package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.Postgres;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** PostgreSQL down at request time: a clear 503, nothing half-written, and service resumes after. */
@QuarkusTest
class DatabaseOutageTest {

    @Test
    void requestsWhilePostgresIsDownGet503AndNothingIsHalfWritten() {
        String env = Fixtures.environment();
        String clients = "/api/v1/environments/" + env + "/clients";
        Fixtures.client(env);
        String token = TestTokens.admin(env);

        Postgres.stop();
        try {
            as(token).body(Map.of("name", "made during the outage")).post(clients).then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", equalTo("5"))
                    .body("code", equalTo("service_unavailable")).body("detail", not(containsString("Exception")));
            as(token).get(clients).then().statusCode(503).body("code", equalTo("service_unavailable"));
        } finally {
            Postgres.start();
        }

        // the pool reconnects by itself; the refused create left no client behind
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> as(token).get(clients).then().statusCode(200).body("$", hasSize(1)));
        as(token).body(Map.of("name", "after the outage")).post(clients).then().statusCode(201);
    }
}
