package io.keyhook.dispatcher;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.keyhook.testing.KafkaBroker;

/** Publishes test records as the other services (and the data services) would. */
public final class Topics {

    private static KafkaProducer<String, String> producer;
    private static KafkaProducer<String, byte[]> bytes;

    private Topics() {
    }

    /** A record whose value is exactly these bytes (invalid UTF-8, say). */
    public static synchronized void sendBytes(String topic, String key, byte[] value) {
        if (bytes == null) {
            Properties p = KafkaBroker.shared().clientProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            bytes = new KafkaProducer<>(p, new StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
        }
        try {
            bytes.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized void send(String topic, String key, String value) {
        if (producer == null) {
            Properties p = KafkaBroker.shared().clientProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
