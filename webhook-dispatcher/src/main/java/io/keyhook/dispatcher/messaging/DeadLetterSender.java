package io.keyhook.dispatcher.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;

/**
 * Puts a record the dispatcher cannot use on {@code keyhook.kafka.dead-letter-topic}, unchanged, with the reason and
 * where it came from in headers. Returns only once the broker acknowledged it: the caller commits the source offset
 * after that. Its producer's settings come from {@code keyhook.kafka.client.dlq.*}.
 */
@ApplicationScoped
public class DeadLetterSender {

    @Inject
    KafkaClients kafka;

    @Inject
    KafkaSettings settings;

    private KafkaProducer<String, byte[]> producer;

    /** Sends and waits for the acknowledgement; throws when the broker did not take it within the send timeout. */
    public void send(ConsumerRecord<String, byte[]> r, String reason, String detail) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(settings.deadLetterTopic(), r.key(), r.value());
        // the publisher's trace context goes along, for whoever reads the dead letters
        for (String h : List.of("traceparent", "tracestate")) {
            var header = r.headers().lastHeader(h);
            if (header != null) {
                out.headers().add(h, header.value());
            }
        }
        out.headers().add("keyhook-dlq-reason", reason.getBytes(StandardCharsets.UTF_8))
                .add("keyhook-dlq-detail", String.valueOf(detail).getBytes(StandardCharsets.UTF_8))
                .add("keyhook-source-topic", r.topic().getBytes(StandardCharsets.UTF_8))
                .add("keyhook-source-partition", String.valueOf(r.partition()).getBytes(StandardCharsets.UTF_8))
                .add("keyhook-source-offset", String.valueOf(r.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            producer().send(out).get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot dead-letter a record", e);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            // records up to the broker's limit (the dispatcher reads up to 8 MiB per partition fetch)
            Map<String, Object> defaults = Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) settings.sendTimeout().toMillis());
            producer = kafka
                    .producer("dlq", defaults,
                            Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.CLIENT_ID_CONFIG,
                                    "webhook-dispatcher-dead-letters"),
                            new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
