package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;

/**
 * SPEC.md section 8: W3C trace context crosses HTTP (admin call → webhook-config-service → credentials-service) and
 * Kafka (a data service's event → the dispatcher's attempts), the spans of a sampled trace reach the OTLP collector,
 * log lines carry the trace id, and the trace context never leaves for a third-party receiver.
 */
// also in the secured pass: the connections it crosses are listed in e2e-tests/README.md
@Tag("secured-infra")
class TracingE2ETest {

    @Test
    void traceContextCrossesHttpAndKafkaAndReachesTheCollectorTheLogsAndTheDeliveryLog() throws Exception {
        Suite suite = Suite.get();
        Map<String, String> receivedTraceparent = new ConcurrentHashMap<>();
        StubHttpServer receiver = new StubHttpServer(ex -> {
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            String tp = ex.getRequestHeaders().getFirst("traceparent");
            receivedTraceparent.put(id, tp == null ? "none" : tp);
            StubHttpServer.respond(ex, 204, "");
        });
        Setup setup = Setup.of(suite);
        String env = setup.environment("trace", "Tracing", "patients");
        Setup.Client client = setup.client(env, "traced");
        String clientId = client.id();
        String secretId = client.secretId();
        String webhookId = setup.webhook(env, receiver.url() + "/hooks", "standard-webhooks", secretId);

        // HTTP: a sampled trace started by the caller; webhook-config-service creates the new secret through
        // credentials-service, so both record spans of it
        String httpTrace = traceId();
        setup.admin().header("traceparent", traceparent(httpTrace))
                .body(Map.of("clientId", clientId, "secretId", secretId))
                .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/rotations").then().statusCode(201);
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> suite.collector.recorded("webhook-config-service", httpTrace)
                        && suite.collector.recorded("credentials-service", httpTrace));
        // ... and the state records the change published (the new secret, the webhook now signing with both) carry
        // it as their traceparent header, through each service's outbox
        assertTrue(tracedRecord("keyhook.credentials", httpTrace).contains(httpTrace));
        assertTrue(tracedRecord("keyhook.webhooks", httpTrace).contains(httpTrace));

        // Kafka: a data service publishes inside its own sampled trace; the dispatcher continues it
        String kafkaTrace = traceId();
        String badTrace = traceId();
        String eventId = SecretGenerator.newId("evt_");
        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> event = new ProducerRecord<>("keyhook.data-changes", env,
                    "{\"specversion\":\"1.0\",\"id\":\"" + eventId + "\",\"source\":\"/patients\",\"type\":"
                            + "\"patients.updated\",\"subject\":\"p-1\",\"environment\":\"" + env + "\",\"data\":"
                            + "{\"resource\":\"patients\",\"resourceId\":\"p-1\",\"action\":\"updated\",\"updatedAt\":"
                            + "\"2026-11-28T10:00:00Z\",\"href\":\"https://api.example.com/patients/p-1\"}}");
            event.headers().add("traceparent", traceparent(kafkaTrace).getBytes(StandardCharsets.UTF_8));
            ProducerRecord<String, String> bad = new ProducerRecord<>("keyhook.data-changes", env, "not json at all");
            bad.headers().add("traceparent", traceparent(badTrace).getBytes(StandardCharsets.UTF_8));
            // the dispatcher's views may take a moment to see the new webhook: publish until it delivers
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                producer.send(event).get();
                return !receivedTraceparent.isEmpty();
            });
            producer.send(bad).get();
        }
        String deliveries = suite.dispatcher.url() + "/api/v1/environments/" + env + "/webhooks/" + webhookId
                + "/deliveries";
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> suite.collector.recorded("webhook-dispatcher", kafkaTrace));
        List<String> traceIds = setup.admin().get(deliveries).then().statusCode(200).extract().path("items.traceId");
        assertEquals(List.of(kafkaTrace), traceIds.stream().distinct().toList(),
                "the delivery log names the publisher's trace");
        assertEquals(List.of("none"), receivedTraceparent.values().stream().distinct().toList(),
                "the receiver is a third party: no trace context is sent to it");

        // the malformed record: dead-lettered under its publisher's trace, with a log line carrying the trace id
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> suite.dispatcher.logText().contains("trace=" + badTrace));
        String line = suite.dispatcher.logText().lines().filter(l -> l.contains("trace=" + badTrace)).findFirst()
                .orElseThrow();
        assertTrue(line.contains("Dead-lettered") && line.contains("not_json"), line);
        assertEquals(traceparent(badTrace).substring(0, 36), deadLetterTraceparent(badTrace).substring(0, 36),
                "the dead letter keeps the publisher's trace context");

        // a trace nobody sampled is not exported (ratio 0 by default), though its id is still propagated
        String unsampled = traceId();
        setup.admin().header("traceparent", "00-" + unsampled + "-00f067aa0ba902b7-00")
                .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(200);
        // a sampled call after it, to the same service: once its spans are exported, so would the unsampled one's be
        String after = traceId();
        setup.admin().header("traceparent", traceparent(after))
                .get(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> suite.collector.recorded("webhook-config-service", after));
        org.junit.jupiter.api.Assertions.assertFalse(suite.collector.recordedAnywhere(unsampled),
                "an unsampled trace was exported");
    }

    /** The traceparent header of the dead letter whose trace is {@code traceId}. */
    private static String deadLetterTraceparent(String traceId) {
        return tracedRecord("keyhook.data-changes.dlq", traceId);
    }

    /** The traceparent header of a record on {@code topic} in the trace {@code traceId}. */
    private static String tracedRecord(String topic, String traceId) {
        Properties p = KafkaBroker.shared().clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "trace-check-" + topic + "-" + traceId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(500))) {
                    var h = r.headers().lastHeader("traceparent");
                    if (h != null && new String(h.value(), StandardCharsets.UTF_8).contains(traceId)) {
                        return new String(h.value(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        throw new AssertionError("no record on " + topic + " carries the trace " + traceId);
    }

    private static String traceId() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A sampled W3C traceparent with a random parent span. */
    private static String traceparent(String traceId) {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return "00-" + traceId + "-" + HexFormat.of().formatHex(b) + "-01";
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = KafkaBroker.shared().clientProperties();
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

}
