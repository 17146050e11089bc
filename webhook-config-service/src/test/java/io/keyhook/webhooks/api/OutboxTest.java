package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static io.keyhook.webhooks.api.WebhookApiTest.base;
import static io.keyhook.webhooks.api.WebhookApiTest.secret;
import static io.keyhook.webhooks.api.WebhookApiTest.webhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.TopicReader;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;

/** Changes made while the broker is down reach keyhook.webhooks, all of them and in order, once it is back. */
@QuarkusTest
class OutboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EnvironmentView view;

    @Test
    void everyChangeIsPublishedInOrderAfterABrokerOutage() throws Exception {
        String env = Environments.create(view, "patients");
        String id = as(env).body(webhook("https://receiver.example.com/h", List.of("patients.created"),
                "standard-webhooks", List.of(secret(env)))).post(base(env)).then().statusCode(201).extract().path("id");
        KafkaBroker.shared().stop();
        try {
            as(env).post(base(env) + "/" + id + "/pause").then().statusCode(200);
            as(env).body(java.util.Map.of("url", "https://receiver.example.com/v2")).patch(base(env) + "/" + id).then()
                    .statusCode(200);
            as(env).post(base(env) + "/" + id + "/resume").then().statusCode(200);
            as(env).delete(base(env) + "/" + id).then().statusCode(204);
        } finally {
            KafkaBroker.shared().start();
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> recordsOf(id).size() == 5);
        List<ConsumerRecord<String, String>> records = recordsOf(id);
        assertEquals(List.of(1L, 2L, 3L, 4L), records.subList(0, 4).stream().map(OutboxTest::version).toList());
        assertEquals(true, JSON.readTree(records.get(1).value()).path("paused").asBoolean());
        assertEquals("https://receiver.example.com/v2", JSON.readTree(records.get(2).value()).path("url").asText());
        assertEquals(false, JSON.readTree(records.get(3).value()).path("paused").asBoolean());
        assertNull(records.get(4).value(), "a tombstone for the delete");
    }

    private static List<ConsumerRecord<String, String>> recordsOf(String id) {
        return TopicReader.readAll("keyhook.webhooks").stream().filter(r -> id.equals(r.key())).toList();
    }

    private static long version(ConsumerRecord<String, String> r) {
        try {
            return JSON.readTree(r.value()).path("version").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
