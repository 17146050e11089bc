package io.keyhook.credentials.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.keyhook.credentials.config.KafkaConfig;

/**
 * The Kafka producer behind the outbox. Failure = any send not acknowledged by the broker within
 * {@code keyhook.kafka.send-timeout}: the caller keeps the rows and retries, and the producer is rebuilt so a fenced or
 * stuck idempotent session does not linger. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class KafkaRecordSender {

    private static final Logger LOG = Logger.getLogger(KafkaRecordSender.class);

    @Inject
    KafkaConfig config;

    private KafkaProducer<String, String> producer;
    private boolean topicsReady;

    /** One record to publish; a null value is a tombstone. */
    public record Outgoing(String topic, String key, String value) {
    }

    /**
     * Sends the records in order and returns how many of the leading ones the broker acknowledged. Acknowledgements
     * stop at the first failure, so the caller may delete exactly that prefix.
     */
    public synchronized int sendInOrder(List<Outgoing> records) {
        if (!ensureTopics()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        int acked = 0;
        try {
            KafkaProducer<String, String> p = producer();
            for (Outgoing r : records) {
                acks.add(p.send(new ProducerRecord<>(r.topic(), r.key(), r.value())));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                acked++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset();
        } catch (ExecutionException | java.util.concurrent.TimeoutException
                | org.apache.kafka.common.KafkaException e) {
            LOG.warnf("Kafka publish stopped after %d of %d records: %s", acked, records.size(), e.toString());
            reset();
        }
        return acked;
    }

    private boolean ensureTopics() {
        if (topicsReady) {
            return true;
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis());
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = List.of(compacted(config.credentialsTopic()),
                    compacted(config.environmentsTopic()));
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            topicsReady = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Kafka is not reachable yet (%s); the outbox keeps every change until it is", e.toString());
        }
        return topicsReady;
    }

    private NewTopic compacted(String name) {
        return new NewTopic(name, config.partitions(), config.replicationFactor())
                .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000"));
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            int timeout = (int) config.sendTimeout().toMillis();
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "credentials-service-outbox");
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private void reset() {
        if (producer != null) {
            producer.close(java.time.Duration.ZERO);
            producer = null;
        }
    }

    @PreDestroy
    synchronized void close() {
        reset();
    }
}
