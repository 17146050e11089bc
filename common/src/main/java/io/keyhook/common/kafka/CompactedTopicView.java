package io.keyhook.common.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * Follows a compacted topic into a local view: reads every partition from the beginning (no consumer group, nothing
 * committed — every replica holds the whole view), then keeps following. {@link #caughtUp()} turns true once it has
 * read up to the end offsets seen at start: readiness. Creates the topic (with its owner's definition) when it does not
 * exist yet and creating is allowed, so a service can be ready before the topic's owner first ran. A record the handler
 * cannot apply is counted and skipped. {@link #problem()} names what keeps the view from reading (the topic absent, no
 * permission to read it, a failing broker) until a read succeeds again: a view that cannot be read must not look
 * healthy.
 */
public final class CompactedTopicView implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompactedTopicView.class);

    private final KafkaClients kafka;
    private final String topic;
    private final NewTopic definition;
    private final String clientId;
    private final Consumer<ConsumerRecord<String, String>> handler;
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
     * @param handler
     *            applies one record (a null value is a tombstone); throwing means "unreadable": counted, skipped
     */
    public CompactedTopicView(KafkaClients kafka, String topic, int partitions, short replicationFactor,
            String clientId, Consumer<ConsumerRecord<String, String>> handler) {
        this(kafka, topic, partitions, replicationFactor, clientId, handler, true);
    }

    /**
     * A view of a topic this service may create, with the suite's partitions, replication factor and
     * {@code keyhook.kafka.create-topics}.
     */
    public CompactedTopicView(KafkaClients kafka, KafkaSettings settings, String topic, String clientId,
            Consumer<ConsumerRecord<String, String>> handler) {
        this(kafka, OrderedSender.compacted(topic, settings), settings.createTopics(), clientId, handler);
    }

    /**
     * @param create
     *            false for a topic another service owns and configures (e.g. one with time retention): wait for it
     *            instead of creating it compacted
     */
    public CompactedTopicView(KafkaClients kafka, String topic, int partitions, short replicationFactor,
            String clientId, Consumer<ConsumerRecord<String, String>> handler, boolean create) {
        this(kafka, OrderedSender.compacted(topic, partitions, replicationFactor), create, clientId, handler);
    }

    /**
     * @param definition
     *            the topic as its owner creates it (name, partitions, replication, configuration)
     * @param create
     *            whether this service may create the topic when it is absent ({@code keyhook.kafka.create-topics});
     *            false: wait for it, and say so in {@link #problem()}
     */
    public CompactedTopicView(KafkaClients kafka, NewTopic definition, boolean create, String clientId,
            Consumer<ConsumerRecord<String, String>> handler) {
        this.create = create;
        this.kafka = kafka;
        this.topic = definition.name();
        this.definition = definition;
        this.clientId = clientId;
        this.handler = handler;
        this.thread = new Thread(this::run, "keyhook-view-" + topic);
        thread.setDaemon(true);
    }

    public CompactedTopicView start() {
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
            handler.accept(r);
            applied.incrementAndGet();
        } catch (RuntimeException e) {
            skipped.incrementAndGet();
            LOG.warnf("Skipping unreadable %s record at partition %d offset %d: %s", r.topic(), r.partition(),
                    r.offset(), e.getClass().getSimpleName());
        }
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
