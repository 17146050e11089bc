package io.keyhook.common.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.TopicContract;

/**
 * Follows a compacted topic into a local view: reads every partition from the beginning (no consumer group, nothing
 * committed — every replica holds the whole view), then keeps following. Each record is checked here, once for every
 * view: a tombstone (null value) goes to {@link Listener#remove}; any other value must decode into the topic's record
 * ({@link TopicContract#type()}) and belong under its key ({@link TopicContract#keyOf()}), then goes to
 * {@link Listener#put}. A record that does not, or that the listener cannot apply (it throws), is counted, logged
 * without its content and skipped. {@link #caughtUp()} turns true once it has read up to the end offsets seen at start:
 * readiness. Creates the topic (with its owner's definition) when it does not exist yet and creating is allowed, so a
 * service can be ready before the topic's owner first ran. {@link #problem()} names what keeps the view from reading
 * (the topic absent, no permission to read it, a failing broker) until a read succeeds again: a view that cannot be
 * read must not look healthy.
 *
 * @param <K>
 *            the key (an id)
 * @param <V>
 *            the topic's record
 */
public final class CompactedTopicView<K, V> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompactedTopicView.class);

    /** Applies the view's records, on the view's one thread. */
    public interface Listener<K, V> {

        /** A record, decoded and published under its own key. */
        void put(K key, V value);

        /** A tombstone: whatever the key held is gone. */
        void remove(K key);

        static <K, V> Listener<K, V> of(BiConsumer<K, V> put, Consumer<K> remove) {
            return new Listener<>() {
                @Override
                public void put(K key, V value) {
                    put.accept(key, value);
                }

                @Override
                public void remove(K key) {
                    remove.accept(key);
                }
            };
        }
    }

    private final KafkaClients kafka;
    private final String topic;
    private final NewTopic definition;
    private final String clientId;
    private final TopicContract<K, V> contract;
    private final ObjectMapper json;
    private final Listener<K, V> listener;
    private final boolean create;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean caughtUp;
    private final CompletableFuture<Void> caughtUpOnce = new CompletableFuture<>();
    private volatile String problem;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;
    private final Thread thread;

    /**
     * A view of a suite topic, which this service creates when absent if {@code keyhook.kafka.create-topics} allows.
     *
     * @param definition
     *            the topic as its owner creates it ({@link SuiteTopics})
     */
    public CompactedTopicView(KafkaClients kafka, KafkaSettings settings, NewTopic definition, String clientId,
            TopicContract<K, V> contract, ObjectMapper json, Listener<K, V> listener) {
        this(kafka, definition, settings.createTopics(), clientId, contract, json, listener);
    }

    /**
     * @param definition
     *            the topic as its owner creates it (name, partitions, replication, configuration)
     * @param create
     *            whether this service may create the topic when it is absent ({@code keyhook.kafka.create-topics});
     *            false: wait for it, and say so in {@link #problem()}
     */
    public CompactedTopicView(KafkaClients kafka, NewTopic definition, boolean create, String clientId,
            TopicContract<K, V> contract, ObjectMapper json, Listener<K, V> listener) {
        this.create = create;
        this.kafka = kafka;
        this.topic = definition.name();
        this.definition = definition;
        this.clientId = clientId;
        this.contract = contract;
        this.json = json;
        this.listener = listener;
        this.thread = new Thread(this::run, "keyhook-view-" + topic);
        thread.setDaemon(true);
    }

    public CompactedTopicView<K, V> start() {
        thread.start();
        return this;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /** Completes when the view has first read everything that was on the topic at start. */
    public CompletionStage<Void> whenCaughtUp() {
        return caughtUpOnce;
    }

    /** What keeps the view from reading its topic now, or null while it reads. */
    public String problem() {
        return problem;
    }

    /** Caught up and reading: what a readiness check wants. */
    public boolean healthy() {
        return caughtUp && problem == null;
    }

    /** The view's state for a health check's data: "caught up", "catching up", or what keeps it from reading. */
    public String state() {
        String p = problem;
        return p != null ? p : caughtUp ? "caught up" : "catching up";
    }

    public String topic() {
        return topic;
    }

    public long applied() {
        return applied.get();
    }

    public long skipped() {
        return skipped.get();
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                problem = e instanceof AuthorizationException ? "not authorized to read the topic"
                        : "reading failed: " + e.getClass().getSimpleName();
                LOG.warnf("Reading %s failed (%s); starting over in 2 s", topic, e.toString());
                sleep(2000);
            }
        }
    }

    private void follow(KafkaConsumer<String, String> c) {
        List<TopicPartition> assigned = partitions(c);
        c.assign(assigned);
        c.seekToBeginning(assigned);
        Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(assigned, Duration.ofSeconds(30)));
        while (running) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                apply(r);
            }
            problem = null;
            if (!caughtUp) {
                end.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
                if (end.isEmpty()) {
                    caughtUp = true;
                    caughtUpOnce.complete(null);
                    LOG.infof("View of %s caught up after %d records", topic, applied.get());
                }
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
        while (running) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            if (!create) {
                problem = "the topic does not exist (this service may not create it: keyhook.kafka.create-topics=false)";
                sleep(1000);
                continue;
            }
            try (Admin admin = OrderedSender.admin(kafka, Duration.ofSeconds(10))) {
                OrderedSender.createIfAbsent(admin, List.of(definition), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            } catch (Exception e) {
                problem = "the topic does not exist and creating it failed: " + e.getClass().getSimpleName();
                LOG.debugf("Cannot create %s yet: %s", topic, e.toString());
                sleep(1000);
            }
        }
        throw new WakeupException();
    }

    private void apply(ConsumerRecord<String, String> r) {
        try {
            apply(r.key(), r.value());
            applied.incrementAndGet();
        } catch (RuntimeException e) {
            skipped.incrementAndGet();
            LOG.warnf("Skipping unreadable %s record at partition %d offset %d: %s", r.topic(), r.partition(),
                    r.offset(), e.getClass().getSimpleName());
        }
    }

    /** Checks and applies one record; throws when it is not one of the topic's records or not under its key. */
    private void apply(String rawKey, String value) {
        K key = contract.key().apply(rawKey);
        if (value == null) {
            listener.remove(key);
            return;
        }
        listener.put(key, contract.read(json, key, value));
    }

    /** Settings from {@code keyhook.kafka.client.view.*}; {@code clientId} is the consumer's {@code client.id}. */
    private KafkaConsumer<String, String> newConsumer() {
        // no group, nothing committed, from the beginning; a view never creates a topic by reading it: its owner
        // creates it with the right configuration
        Map<String, Object> fixed = Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return kafka.consumer("view", Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), fixed,
                new StringDeserializer(), new StringDeserializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
