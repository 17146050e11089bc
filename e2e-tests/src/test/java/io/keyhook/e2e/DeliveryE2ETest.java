package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.restassured.specification.RequestSpecification;

/**
 * The whole path across all four services: an admin configures a webhook (webhook-config-service) with a secret
 * (credentials-service), a data service publishes an event, the dispatcher delivers it, and the receiver verifies the
 * signature with the reference Standard Webhooks library and the secret value exactly as it was shown at creation.
 */
// also in the secured pass: the connections it crosses are listed in e2e-tests/README.md
@Tag("secured-infra")
class DeliveryE2ETest {

    record Received(String id, String timestamp, String signature, String body) {
    }

    @Test
    void anEventReachesTheReceiverSignedWithTheSecretAsShownEvenWithTheConfigServicesDown() throws Exception {
        Suite suite = Suite.get();
        List<Received> received = new CopyOnWriteArrayList<>();
        StubHttpServer receiver = new StubHttpServer(ex -> {
            received.add(new Received(ex.getRequestHeaders().getFirst("webhook-id"),
                    ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            StubHttpServer.respond(ex, 204, "");
        });
        String operator = given().auth().preemptive().basic(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(suite.tokens.url() + "/oauth2/token").then().statusCode(200).extract().path("access_token");
        String env = "deliv-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        admin(operator).body(Map.of("dataTypes", List.of("patients")))
                .put(suite.credentials.url() + "/api/v1/configurations/" + env).then().statusCode(201);
        admin(operator).body(Map.of("id", env, "name", "Delivery", "configuration", env))
                .post(suite.credentials.url() + "/api/v1/environments").then().statusCode(201);
        var client = admin(operator).body(Map.of("name", "signer"))
                .post(suite.credentials.url() + "/api/v1/environments/" + env + "/clients").then().statusCode(201)
                .extract();
        String secretValue = client.path("secret.value");
        String secretId = client.path("secret.id");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin(operator)
                .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/notification-types").statusCode() == 200);
        admin(operator)
                .body(Map.of("url", receiver.url() + "/hooks", "notificationTypes", List.of("patients.updated"),
                        "security", Map.of("method", "standard-webhooks", "secretIds", List.of(secretId))))
                .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(201);

        // a data service publishes; the dispatcher's views may take a moment to see the new webhook, so publish
        // until one arrives (each event has its own id)
        Properties p = KafkaBroker.shared().clientProperties();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                String event = "{\"specversion\":\"1.0\",\"id\":\"" + SecretGenerator.newId("evt_")
                        + "\",\"source\":\"/patients\",\"type\":\"patients.updated\",\"subject\":\"p-1\","
                        + "\"environment\":\"" + env + "\",\"data\":{\"resource\":\"patients\",\"resourceId\":\"p-1\","
                        + "\"action\":\"updated\",\"updatedAt\":\"2026-11-28T10:00:00Z\",\"href\":"
                        + "\"https://api.example.com/patients/p-1\"}}";
                producer.send(new ProducerRecord<>("keyhook.data-changes", env, event)).get(10, TimeUnit.SECONDS);
                return !received.isEmpty();
            });
        }
        Received r = received.get(0);
        new Webhook(secretValue).verify(r.body(), Map.of("webhook-id", List.of(r.id()), "webhook-timestamp",
                List.of(r.timestamp()), "webhook-signature", List.of(r.signature())));
        assertEquals(true, r.body().contains("\"environment\":\"" + env + "\""));

        // webhook-config-service and credentials-service down: delivery goes on from the dispatcher's own views
        suite.webhooks.stop();
        suite.credentials.stop();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            int before = received.size();
            String event = "{\"specversion\":\"1.0\",\"id\":\"" + SecretGenerator.newId("evt_")
                    + "\",\"source\":\"/patients\",\"type\":\"patients.updated\",\"subject\":\"p-2\","
                    + "\"environment\":\"" + env + "\",\"data\":{\"resource\":\"patients\",\"resourceId\":\"p-2\","
                    + "\"action\":\"updated\",\"updatedAt\":\"2026-11-28T10:00:00Z\",\"href\":"
                    + "\"https://api.example.com/patients/p-2\"}}";
            producer.send(new ProducerRecord<>("keyhook.data-changes", env, event)).get(10, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() > before);
            Received during = received.get(received.size() - 1);
            new Webhook(secretValue).verify(during.body(),
                    Map.of("webhook-id", List.of(during.id()), "webhook-timestamp", List.of(during.timestamp()),
                            "webhook-signature", List.of(during.signature())));
            assertEquals(true, during.body().contains("\"resourceId\":\"p-2\""));
        } finally {
            suite.credentials.start();
            suite.webhooks.start();
        }
    }

    private static RequestSpecification admin(String token) {
        return given().auth().oauth2(token).contentType("application/json");
    }
}
