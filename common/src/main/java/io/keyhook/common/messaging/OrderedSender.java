package io.keyhook.common.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

/**
 * The Kafka producer behind an outbox. Failure = any send not acknowledged by the broker within the send timeout: the
 * caller keeps the rows and retries, and the producer is rebuilt so a fenced or stuck idempotent session does not
 * linger. Creates its topics on first use. Blocking: call from a worker thread.
 */
public class OrderedSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OrderedSender.class);

    private final String bootstrapServers;
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

    public OrderedSender(String bootstrapServers, Duration sendTimeout, String clientId, List<NewTopic> topics) {
        this.bootstrapServers = bootstrapServers;
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
                    record.headers().add(io.keyhook.common.tracing.TraceContext.HEADER,
                            r.traceparent().getBytes(java.nio.charset.StandardCharsets.UTF_8));
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

    private boolean ensureTopics() {
        if (topicsReady) {
            return true;
        }
        try (Admin admin = Admin.create(adminProperties(bootstrapServers, sendTimeout))) {
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

    /** Admin client settings with every timeout bounded by {@code timeout}. */
    public static Properties adminProperties(String bootstrapServers, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return p;
    }

    /** A compacted topic: the latest record per key is the state. */
    public static NewTopic compacted(String name, int partitions, short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(java.util.Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000"));
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            int timeout = (int) sendTimeout.toMillis();
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
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
