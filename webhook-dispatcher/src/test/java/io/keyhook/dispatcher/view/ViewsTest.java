package io.keyhook.dispatcher.view;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dispatcher's local views follow the topics the other services publish, in their formats: webhooks (newest version
 * wins, tombstones remove) and signing secrets (decrypted through the SecretCipher, unusable once invalidated).
 */
@QuarkusTest
class ViewsTest {

    @Inject
    WebhookView webhooks;

    @Inject
    SigningSecrets secrets;

    /** Another webhook id whose records land on the same partition of keyhook.webhooks as {@code id}'s. */
    static String samePartitionAs(String id) throws Exception {
        int partitions;
        try (var admin = KafkaBroker.shared().admin()) {
            partitions = admin.describeTopics(List.of("keyhook.webhooks")).allTopicNames().get().get("keyhook.webhooks")
                    .partitions().size();
        }
        while (true) {
            String other = SecretGenerator.newId("wh_");
            if (partitionOf(other, partitions) == partitionOf(id, partitions)) {
                return other;
            }
        }
    }

    /** The producer's partition for a keyed record (Kafka's built-in partitioner). */
    private static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    static void send(String topic, String key, String value) {
        io.keyhook.dispatcher.Topics.send(topic, key, value);
    }

    static String webhook(String id, long version, boolean paused) {
        return "{\"schemaVersion\":1,\"id\":\"" + id
                + "\",\"environment\":\"env-a\",\"url\":\"https://r.example.com/h\","
                + "\"notificationTypes\":[\"patients.updated\"],\"paused\":" + paused + ",\"security\":{\"method\":"
                + "\"standard-webhooks\",\"secretIds\":[\"sec_x\"],\"tokenUrl\":null},\"version\":" + version
                + ",\"createdAt\":\"2026-11-28T10:00:00Z\",\"updatedAt\":\"2026-11-28T10:00:00Z\",\"futureField\":1}";
    }

    @Test
    void webhooksFollowTheTopicNewestVersionWinning() throws Exception {
        String id = SecretGenerator.newId("wh_");
        send("keyhook.webhooks", id, webhook(id, 2, true));
        send("keyhook.webhooks", id, webhook(id, 1, false));
        // a record behind both on their partition: once the view holds it, it has read the older version too
        String behind = samePartitionAs(id);
        send("keyhook.webhooks", behind, webhook(behind, 1, false));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> webhooks.webhook(behind) != null);
        send("keyhook.webhooks", behind, null);
        assertEquals(2, webhooks.webhook(id).version());
        assertEquals(true, webhooks.webhook(id).paused());
        assertEquals(true, webhooks.webhook(id).wants("patients.updated"));
        assertFalse(webhooks.webhook(id).wants("patients.created"));
        send("keyhook.webhooks", id, null);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> webhooks.webhook(id) == null);
    }

    @Test
    void anEnvironmentsWebhooksAreFoundWithoutLookingAtOthers() throws Exception {
        String env = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        String one = SecretGenerator.newId("wh_");
        String two = SecretGenerator.newId("wh_");
        String elsewhere = SecretGenerator.newId("wh_");
        send("keyhook.webhooks", one, webhook(one, 1, false).replace("env-a", env));
        send("keyhook.webhooks", two, webhook(two, 1, false).replace("env-a", env));
        send("keyhook.webhooks", elsewhere, webhook(elsewhere, 1, false));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> webhooks.ofEnvironment(env).size() == 2 && webhooks.webhook(elsewhere) != null);
        assertEquals(java.util.Set.of(one, two), webhooks.ofEnvironment(env).stream().map(WebhookState::id)
                .collect(java.util.stream.Collectors.toSet()));
        assertTrue(webhooks.ofEnvironment("env-a").stream().anyMatch(w -> w.id().equals(elsewhere)));

        // a newer version replaces the entry; a tombstone removes it from its Environment
        send("keyhook.webhooks", one, webhook(one, 2, true).replace("env-a", env));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> webhooks.ofEnvironment(env).stream().anyMatch(w -> w.id().equals(one) && w.paused()));
        send("keyhook.webhooks", two, null);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> webhooks.ofEnvironment(env).size() == 1);
        send("keyhook.webhooks", one, null);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> webhooks.ofEnvironment(env).isEmpty());
        assertEquals(List.of(), webhooks.ofEnvironment("env-nobody"));
    }

    @Test
    void signingSecretsDecryptAndStopWhenInvalidated() throws Exception {
        LocalKeyFileCipher cipher = new LocalKeyFileCipher(Path.of("target/test-keys/secret-cipher.keys"));
        String value = SecretGenerator.newSecret();
        String clientId = SecretGenerator.newId("cl_");
        String secretId = SecretGenerator.newId("sec_");
        String ciphertext = cipher.encryptNow("env-a", value.getBytes(StandardCharsets.UTF_8));
        String record = "{\"schemaVersion\":1,\"kind\":\"api\",\"clientId\":\"" + clientId
                + "\",\"environment\":\"env-a\",\"status\":\"active\",\"secrets\":[{\"id\":\"" + secretId
                + "\",\"status\":\"STATUS\",\"verifier\":\"h1:x\",\"ciphertext\":\"" + ciphertext + "\"}]}";
        send("keyhook.credentials", clientId, record.replace("STATUS", "active"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> secrets.entry(secretId) != null);
        assertEquals(value, secrets.value(secretId).await().atMost(Duration.ofSeconds(5)));

        send("keyhook.credentials", clientId, record.replace("STATUS", "invalidated"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !secrets.entry(secretId).usable());
        assertThrows(IllegalStateException.class, () -> secrets.value(secretId).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void readinessWaitsForBothViews() {
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("checks.find { it.name == 'views' }.status", equalTo("UP")));
        assertEquals(List.of(), webhooks.ofEnvironment("no-such-env"));
    }
}
