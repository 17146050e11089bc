package io.keyhook.common.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.keyhook.common.tracing.TraceContext;

/**
 * The Kafka producer behind an outbox. Failure = any send not acknowledged by the broker within the send timeout: the
 * caller keeps the rows and retries, and the producer is rebuilt so a fenced or stuck idempotent session does not
 * linger. Creates its topics on first use (none when given none: the platform manages them). Blocking: call from a
 * worker thread.
 */
public class OrderedSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OrderedSender.class);

    private final KafkaClients kafka;
    private final Duration sendTimeout;
    private final String clientId;
    private final List<NewTopic> topics;
    private KafkaProducer<String, String> producer;
    private boolean topicsReady;

    /**
     * One record to publish; a null value is a tombstone. {@code traceparent} (may be null) goes along as the W3C
     * header, so consumers continue the trace of the change that made the record.
     */
    public record Outgoing(String topic, String key, String value, String traceparent) {

        public Outgoing(String topic, String key, String value) {
            this(topic, key, value, null);
        }
    }

    /**
     * @param clientId
     *            the producer's {@code client.id}; its settings come from {@code keyhook.kafka.client.outbox.*}
     */
    public OrderedSender(KafkaClients kafka, Duration sendTimeout, String clientId, List<NewTopic> topics) {
        this.kafka = kafka;
        this.sendTimeout = sendTimeout;
        this.clientId = clientId;
        this.topics = List.copyOf(topics);
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
                ProducerRecord<String, String> record = new ProducerRecord<>(r.topic(), r.key(), r.value());
                if (r.traceparent() != null) {
                    record.headers().add(TraceContext.HEADER, r.traceparent().getBytes(StandardCharsets.UTF_8));
                }
                acks.add(p.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
                acked++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            LOG.warnf("Kafka publish stopped after %d of %d records: %s", acked, records.size(), e.toString());
            reset();
        }
        return acked;
    }

    /**
     * Creates the topics and connects the producer ahead of the first change: the topics' metadata, and the idempotent
     * producer's id, which its I/O thread asks for at once. Otherwise the first change a replica publishes waits for
     * all of that (seconds on a busy machine). True when ready; a broker that is down makes it false, to try again.
     */
    public synchronized boolean prepare(List<String> topicNames) {
        if (!ensureTopics()) {
            return false;
        }
        try {
            KafkaProducer<String, String> p = producer();
            for (String topic : topicNames) {
                p.partitionsFor(topic);
            }
            return true;
        } catch (KafkaException e) {
            LOG.debugf("Outbox producer not ready yet: %s", e.toString());
            reset();
            return false;
        }
    }

    private boolean ensureTopics() {
        if (topicsReady || topics.isEmpty()) {
            return true;
        }
        try (Admin admin = admin(kafka, sendTimeout)) {
            createIfAbsent(admin, topics, sendTimeout);
            topicsReady = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Kafka is not reachable yet (%s); the outbox keeps every change until it is", e.toString());
        }
        return topicsReady;
    }

    /** Creates the topics that do not exist yet; waits at most {@code timeout} for each. */
    public static void createIfAbsent(Admin admin, List<NewTopic> topics, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (var result : admin.createTopics(topics).values().values()) {
            try {
                result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** An admin client ({@code keyhook.kafka.client.admin.*}) with every timeout bounded by {@code timeout}. */
    public static Admin admin(KafkaClients kafka, Duration timeout) {
        int millis = (int) timeout.toMillis();
        return kafka.admin("admin", Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis));
    }

    /** A compacted topic with the suite's partitions and replication factor. */
    public static NewTopic compacted(String name, KafkaSettings settings) {
        return compacted(name, settings.partitions(), settings.replicationFactor());
    }

    /** A compacted topic: the latest record per key is the state. */
    public static NewTopic compacted(String name, int partitions, short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000"));
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            int timeout = (int) sendTimeout.toMillis();
            Map<String, Object> defaults = Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2),
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout, ProducerConfig.LINGER_MS_CONFIG, 0);
            // ordered, acknowledged by every in-sync replica, never duplicated by a retry: what the outbox relies on
            Map<String, Object> fixed = Map.of(ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5, CommonClientConfigs.CLIENT_ID_CONFIG,
                    clientId);
            producer = kafka.producer("outbox", defaults, fixed, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private void reset() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        reset();
    }
}
