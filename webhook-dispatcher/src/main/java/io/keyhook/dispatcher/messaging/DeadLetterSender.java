package io.keyhook.dispatcher.messaging;

import java.nio.charset.StandardCharsets;
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

import io.keyhook.common.contract.DeadLetterHeaders;
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

    private KafkaProducer<byte[], byte[]> producer;

    /**
     * Sends and waits for the acknowledgement; throws when the broker did not take it within the send timeout. The
     * record's key and value bytes and every header it was published with (duplicates and all, in order; the trace
     * context among them) go along; ours follow. A publisher's header that has one of our names is kept too, before
     * ours: whoever reads a dead letter takes the last {@code keyhook-dlq-reason} (Kafka's {@code lastHeader}).
     */
    public void send(ConsumerRecord<byte[], byte[]> r, String reason, String detail) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(settings.deadLetterTopic(), null, r.key(), r.value(),
                r.headers());
        out.headers().add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8))
                .add(DeadLetterHeaders.DETAIL, String.valueOf(detail).getBytes(StandardCharsets.UTF_8))
                .add(DeadLetterHeaders.SOURCE_TOPIC, r.topic().getBytes(StandardCharsets.UTF_8))
                .add(DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(r.partition()).getBytes(StandardCharsets.UTF_8))
                .add(DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(r.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            producer().send(out).get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot dead-letter a record", e);
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            // records up to the broker's limit (the dispatcher reads up to 8 MiB per partition fetch)
            Map<String, Object> defaults = Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) settings.sendTimeout().toMillis());
            producer = kafka
                    .producer("dlq", defaults,
                            Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.CLIENT_ID_CONFIG,
                                    "webhook-dispatcher-dead-letters"),
                            new ByteArraySerializer(), new ByteArraySerializer());
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
