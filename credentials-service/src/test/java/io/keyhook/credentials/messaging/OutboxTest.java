package io.keyhook.credentials.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.TestTokens;
import io.keyhook.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OutboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void changesMadeWhileKafkaIsDownArriveInOrderOnceItIsBack() throws Exception {
        String env = Fixtures.environment();
        KafkaBroker broker = KafkaBroker.shared();
        List<String> clientIds = new ArrayList<>();
        broker.stop();
        try {
            // requests succeed while the broker is down: the changes wait in the outbox
            for (int i = 0; i < 3; i++) {
                String clientId = Fixtures.client(env).path("clientId");
                clientIds.add(clientId);
                Fixtures.secret(env, clientId);
                Fixtures.as(TestTokens.admin(env)).body(Map.of("name", "renamed " + i))
                        .patch("/api/v1/environments/" + env + "/clients/" + clientId).then().statusCode(200);
            }
        } finally {
            broker.start();
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> records = TopicReader.readAll("keyhook.credentials");
            for (String clientId : clientIds) {
                List<JsonNode> states = new ArrayList<>();
                for (var r : records) {
                    if (clientId.equals(r.key())) {
                        states.add(JSON.readTree(r.value()));
                    }
                }
                // create (1 secret) -> second secret (2) -> rename: exactly in commit order
                assertEquals(3, states.size(), "records for " + clientId);
                assertEquals(1, states.get(0).get("secrets").size());
                assertEquals(2, states.get(1).get("secrets").size());
                assertTrue(states.get(2).get("name").asText().startsWith("renamed"));
                assertEquals(env, states.get(2).get("environment").asText());
            }
        });
    }

    @Test
    void adminClientsArePublishedWithTheirGroupsAndEnvironments() {
        String id = Fixtures.as(TestTokens.operator())
                .body(Map.of("name", "automation", "groups", List.of("integration-admin"), "environments",
                        List.of("env-x")))
                .post("/api/v1/admin-clients").then().statusCode(201).extract().path("clientId");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var mine = TopicReader.readAll("keyhook.credentials").stream().filter(r -> id.equals(r.key())).toList();
            assertEquals(1, mine.size());
            JsonNode value = JSON.readTree(mine.get(0).value());
            assertEquals("admin", value.get("kind").asText());
            assertEquals("[\"integration-admin\"]", value.get("groups").toString());
            assertEquals("[\"env-x\"]", value.get("environments").toString());
            assertTrue(value.get("secrets").get(0).get("verifier").asText().startsWith("h1:"));
        });
    }

    @Test
    void environmentsArePublishedWithTheirConfigurationsDataTypes() {
        String env = Fixtures.environment();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var mine = TopicReader.readAll("keyhook.environments").stream().filter(r -> env.equals(r.key())).toList();
            assertEquals(1, mine.size());
            JsonNode value = JSON.readTree(mine.get(0).value());
            assertEquals("[\"patients\",\"encounters\"]", value.get("configuration").get("dataTypes").toString());
            assertEquals(1, value.get("configuration").get("version").asInt());
        });
    }
}
