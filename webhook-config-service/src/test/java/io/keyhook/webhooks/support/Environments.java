package io.keyhook.webhooks.support;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.TestTokens;
import io.keyhook.webhooks.view.EnvironmentView;

/** Plays credentials-service's part: publishes Environments and their Configuration on keyhook.environments. */
public final class Environments {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, String> producer;

    private Environments() {
    }

    /** A new Environment with these data types, known to the service's view when this returns. */
    public static String create(EnvironmentView view, String... dataTypes) {
        String env = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 10);
        publish(view, env, 1, dataTypes);
        return env;
    }

    /** Publishes (another version of) the Environment's Configuration and waits for the view to have it. */
    public static void publish(EnvironmentView view, String env, long version, String... dataTypes) {
        publish(view, env, version, Map.of(), dataTypes);
    }

    /**
     * A new Environment whose secrets and keys have a maximum age (issue 30), as credentials-service publishes it after
     * {@code PATCH {"secretMaxAgeDays": .., "secretExpiryGraceDays": ..}}.
     */
    public static String createWithMaxAge(EnvironmentView view, int maxAgeDays, int graceDays, String... dataTypes) {
        String env = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 10);
        publish(view, env, 1, Map.of("secretMaxAgeDays", maxAgeDays, "secretExpiryGraceDays", graceDays), dataTypes);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> view.environment(env).hasSecretMaxAge());
        return env;
    }

    private static void publish(EnvironmentView view, String env, long version, Map<String, Object> more,
            String... dataTypes) {
        String value;
        try {
            Map<String, Object> record = new HashMap<>(Map.of("schemaVersion", 1, "id", env, "name", env,
                    "configuration", Map.of("name", "cfg-" + env, "version", version, "dataTypes", List.of(dataTypes)),
                    "updatedAt", Instant.now().toString()));
            record.putAll(more);
            value = JSON.writeValueAsString(record);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        send(env, value);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> view.environment(env) != null && view.environment(env).configuration().version() == version);
    }

    static synchronized void send(String key, String value) {
        if (producer == null) {
            Properties p = KafkaBroker.shared().clientProperties();
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        try {
            producer.send(new ProducerRecord<>("keyhook.environments", key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An integration admin of this Environment. */
    public static String admin(String env) {
        return TestTokens.admin(env);
    }
}
