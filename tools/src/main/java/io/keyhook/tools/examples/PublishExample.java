package io.keyhook.tools.examples;

import java.time.Instant;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Java producer of docs/publishing-events.md, as compiled code: the text between the markers is the snippet on that
 * page (DocsSnippetsTest keeps them equal), and {@code ./keyhook demo} publishes its first event with it.
 */
public final class PublishExample {

    private PublishExample() {
    }

    /**
     * @param connection
     *            {@code bootstrap.servers} (e.g. localhost:19092, {@code $KEYHOOK_KAFKA_BOOTSTRAP}) and, for a secured
     *            cluster, its {@code security.protocol}, {@code sasl.*} and {@code ssl.*} settings
     */
    public static void publish(Properties connection, String environment) throws Exception {
        // docs:begin
        Properties p = new Properties();
        p.putAll(connection); // bootstrap.servers, and security.protocol, sasl.*, ssl.* for a secured cluster
        p.put(ProducerConfig.ACKS_CONFIG, "all"); // an event is published once the broker has it
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true); // retries never reorder or duplicate
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            String event = """
                    {"specversion":"1.0","id":"%s","source":"/services/patients","type":"patients.updated",
                     "time":"%s","subject":"p-42","environment":"%s",
                     "data":{"resource":"patients","resourceId":"p-42","action":"updated",
                             "updatedAt":"%s","href":"https://api.example.com/v2/patients/p-42"}}"""
                    .formatted(UUID.randomUUID(), Instant.now(), environment, Instant.now());
            // key = the Environment id: its events stay in order on one partition
            producer.send(new ProducerRecord<>("keyhook.data-changes", environment, event)).get();
        }
        // docs:end
    }
}
