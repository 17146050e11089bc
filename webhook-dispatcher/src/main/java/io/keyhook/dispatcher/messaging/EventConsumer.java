package io.keyhook.dispatcher.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.service.DirectDispatch;
import io.keyhook.dispatcher.view.EnvironmentView;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The poll loop: reads {@code keyhook.data-changes} in a consumer group (instances share the partitions) and hands each
 * batch to the {@link EventRouter}, which turns every event into the deliveries it owes. A batch's offsets are
 * committed only after every record in it was stored as deliveries, dropped (nobody opted in) or dead-lettered with the
 * broker's acknowledgement ({@link OffsetTracker}): a crash at any point re-reads the batch, and re-storing is a no-op,
 * so nothing is lost. Waits for the views before it starts; pauses reading while too much is in memory; watches its own
 * progress (readiness, the stalled gauge) and its lag.
 */
@ApplicationScoped
public class EventConsumer {

    /** The partitions this replica reads, as the group last assigned them (for readiness data and tests). */
    private final java.util.Set<TopicPartition> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    @Inject
    DispatcherConfig config;

    @Inject
    WebhookView webhooks;

    @Inject
    SigningSecrets secrets;

    @Inject
    EnvironmentView environments;

    @Inject
    KafkaClients kafka;

    @Inject
    KafkaSettings kafkaSettings;

    @Inject
    DirectDispatch dispatch;

    @Inject
    EventRouter router;

    private final AtomicLong lag = new AtomicLong();

    @Inject
    void gauges(MeterRegistry registry) {
        registry.gauge("keyhook.dispatcher.consumer.lag", lag);
        registry.gauge("keyhook.dispatcher.consumer.stalled", this, c -> c.stalled() ? 1 : 0);
        registry.gauge("keyhook.dispatcher.consumer.seconds.since.progress", this, EventConsumer::secondsSinceProgress);
    }

    private volatile boolean running = true;
    private ProgressWatch progress;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        progress = new ProgressWatch(System::nanoTime, config.kafka().stallTimeout());
        thread = new Thread(this::run, "keyhook-event-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        // the loop drains (waits for in-flight deliveries, commits what is done) and closes the consumer
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(config.delivery().timeout().plusSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (t != null && t.isAlive() && c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (running && !(webhooks.caughtUp() && secrets.caughtUp() && environments.caughtUp())) {
            sleep(100);
        }
        while (running) {
            OffsetTracker tracker = new OffsetTracker();
            try (KafkaConsumer<byte[], byte[]> c = newConsumer()) {
                consumer = c;
                c.subscribe(List.of(kafkaSettings.dataChangesTopic()), new Rebalance(c, tracker));
                long lagCheck = 0;
                long idleCheck = 0;
                while (running) {
                    // back-pressure: stop reading while too much is in memory (a slow database, say)
                    if (dispatch.unresolved() > config.delivery().maxUnresolved()) {
                        c.pause(c.assignment());
                    } else if (!c.paused().isEmpty()) {
                        c.resume(c.paused());
                    }
                    ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(20));
                    if (!records.isEmpty()) {
                        progress.recordsArrived();
                        router.handle(records, tracker, () -> running);
                    }
                    var positions = tracker.advance();
                    if (!positions.isEmpty()) {
                        c.commitAsync(positions, null);
                        progress.progressed();
                    }
                    if (System.nanoTime() - lagCheck > 5_000_000_000L) {
                        lagCheck = System.nanoTime();
                        measureLag(c, tracker);
                    }
                    if (System.nanoTime() - idleCheck > 1_000_000_000L) {
                        idleCheck = System.nanoTime();
                        // nothing read and not done, nothing published and not read: no progress is owed
                        progress.waiting(tracker.outstanding() > 0 || lag.get() > 0);
                    }
                }
                drain(c, tracker, c.assignment());
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // the broker or PostgreSQL failed mid-batch: what was not committed is read again by a new consumer
                // (what is stored already is skipped; what was sent but not logged is sent again)
                LOG.warnf("Event batch not completed (%s); re-reading from the last committed offsets in 2 s",
                        e.toString());
                sleep(2000);
            }
        }
    }

    /**
     * Stalled: records wait and no offset has moved for longer than {@code keyhook.dispatcher.kafka.stall-timeout}. A
     * healthy consumer commits within seconds, even when every receiver is down (failures are stored for retry).
     */
    public boolean stalled() {
        ProgressWatch p = progress;
        return p != null && p.stalled();
    }

    /** How many partitions of the data-change topic this replica reads now (0 until its group has joined). */
    public int partitionsAssigned() {
        return assigned.size();
    }

    /** Seconds since the consumer last moved a commit position, or 0 while nothing waits. */
    public long secondsSinceProgress() {
        ProgressWatch p = progress;
        return p == null ? 0 : p.secondsSinceProgress();
    }

    /** Before partitions go elsewhere (or at shutdown): wait a while for their deliveries, commit what is done. */
    private void drain(KafkaConsumer<byte[], byte[]> c, OffsetTracker tracker, Collection<TopicPartition> partitions) {
        long deadline = System.nanoTime() + config.delivery().timeout().plusSeconds(5).toNanos();
        while (!tracker.drained(partitions) && System.nanoTime() - deadline < 0) {
            sleep(10);
        }
        var positions = tracker.advance();
        positions.keySet().retainAll(partitions);
        if (!positions.isEmpty()) {
            try {
                c.commitSync(positions);
            } catch (RuntimeException e) {
                LOG.warnf("Could not commit on hand-over (%s); the records are read again", e.toString());
            }
        }
        tracker.forget(partitions);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;
        private final OffsetTracker tracker;

        Rebalance(KafkaConsumer<byte[], byte[]> c, OffsetTracker tracker) {
            this.c = c;
            this.tracker = tracker;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("Handing over partitions %s (waiting for their deliveries, then committing)", partitions);
            }
            drain(c, tracker, partitions);
            assigned.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("Now reading partitions %s", partitions);
            }
            assigned.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            tracker.forget(partitions);
            assigned.removeAll(partitions);
        }
    }

    /** Consumer lag: records published and not yet done (delivered, stored or dropped) on our partitions. */
    private void measureLag(KafkaConsumer<byte[], byte[]> c, OffsetTracker tracker) {
        try {
            var assignment = c.assignment();
            if (assignment.isEmpty()) {
                lag.set(0);
                return;
            }
            long total = 0;
            for (var end : c.endOffsets(assignment, Duration.ofSeconds(2)).entrySet()) {
                Long done = tracker.committed(end.getKey());
                long position = done != null ? done : c.position(end.getKey(), Duration.ofSeconds(2));
                total += Math.max(0, end.getValue() - position);
            }
            lag.set(total);
        } catch (RuntimeException e) {
            LOG.debugf("Consumer lag not measured: %s", e.toString());
        }
    }

    /** The group's consumer; settings from {@code keyhook.kafka.client.events.*}. */
    private KafkaConsumer<byte[], byte[]> newConsumer() {
        var k = config.kafka();
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // a record up to the DLQ's limit must be readable to be dead-lettered
        defaults.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        // batch fetches a little: far fewer round trips (broker and dispatcher CPU) for at most this much latency
        defaults.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        defaults.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) k.fetchMaxWait().toMillis());
        // a crashed instance's partitions move to the others after this long (Kafka's default is 45 s)
        defaults.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) k.sessionTimeout().toMillis());
        defaults.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) Math.max(1000, k.sessionTimeout().toMillis() / 3));
        // offsets are committed only for records fully handled (OffsetTracker)
        Map<String, Object> fixed = new HashMap<>();
        fixed.put(ConsumerConfig.GROUP_ID_CONFIG, k.consumerGroup());
        fixed.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        fixed.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        fixed.put(ConsumerConfig.CLIENT_ID_CONFIG, "webhook-dispatcher-events");
        // static membership: a restarted instance gets its partitions back at once, without a rebalance
        k.instanceId().ifPresent(id -> fixed.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        // keys and values stay bytes (the parser decodes them; the dead-letter topic gets them as they were published)
        return kafka.consumer("events", defaults, fixed, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
