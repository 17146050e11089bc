package io.keyhook.webhooks.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.testing.KafkaBroker;

/** Plays the emitters' part (the dispatcher, credentials-service): publishes operational events on their topic. */
public final class OperationalEvents {

    public static final String TOPIC = "keyhook.operational-events";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static KafkaProducer<String, String> producer;

    private OperationalEvents() {
    }

    public static OperationalEvent failing(String env, String eventId, String webhookId, String lastError) {
        return new OperationalEvent(eventId, "/keyhook/webhook-dispatcher", OperationalEvent.WEBHOOK_FAILING,
                Instant.now(), webhookId, env,
                Map.of("webhookId", webhookId, "url", "https://receiver.example.com/hooks", "failingSince",
                        "2026-12-01T08:00:00Z", "consecutiveFailures", 12, "lastStatus", 503, "lastError", lastError));
    }

    /** Publishes the events (key = Environment) and waits for the broker's acknowledgements. */
    public static synchronized void publish(List<OperationalEvent> events) {
        try {
            if (producer == null) {
                producer = new KafkaProducer<>(KafkaBroker.shared().clientProperties(), new StringSerializer(),
                        new StringSerializer());
            }
            for (OperationalEvent e : events) {
                producer.send(new ProducerRecord<>(TOPIC, e.environment(), JSON.writeValueAsString(e)));
            }
            producer.flush();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes a raw record value (a malformed one, say). */
    public static synchronized void publishRaw(String env, String value) throws Exception {
        publish(List.of());
        producer.send(new ProducerRecord<>(TOPIC, env, value)).get(10, TimeUnit.SECONDS);
    }
}
