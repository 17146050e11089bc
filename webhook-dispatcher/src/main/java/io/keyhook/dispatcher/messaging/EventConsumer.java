package io.keyhook.dispatcher.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.crypto.SecretGenerator;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.sql.SqlFailures;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.delivery.DeliveryBody;
import io.keyhook.dispatcher.delivery.DirectDispatch;
import io.keyhook.dispatcher.events.DataChangeEvent;
import io.keyhook.dispatcher.events.EventParser;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.tracing.DeliveryTracing;
import io.keyhook.dispatcher.view.EnvironmentView;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.keyhook.dispatcher.view.WebhookState;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads {@code keyhook.data-changes} in a consumer group (instances share the partitions) and turns each event into the
 * deliveries it owes. A batch's offsets are committed only after every record in it was stored as deliveries, dropped
 * (nobody opted in) or dead-lettered with the broker's acknowledgement: a crash at any point re-reads the batch, and
 * re-storing is a no-op, so nothing is lost. Waits for the views before it starts.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    @Inject
    DeliveryTracing tracing;

    @Inject
    DispatcherConfig config;

    @Inject
    WebhookView webhooks;

    @Inject
    SigningSecrets secrets;

    @Inject
    EnvironmentView environments;

    @Inject
    DeliveryStore store;

    @Inject
    DeadLetterSender deadLetters;

    @Inject
    KafkaClients kafka;

    @Inject
    KafkaSettings kafkaSettings;

    @Inject
    DirectDispatch dispatch;

    private final AtomicLong lag = new AtomicLong();

    private Timer lookUpTime;
    // counters looked up once per name and reason, not per record
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    private void count(String name, String reason) {
        counters.computeIfAbsent(reason == null ? name : name + "/" + reason,
                k -> reason == null ? registry.counter(name) : registry.counter(name, "reason", reason)).increment();
    }

    @Inject
    void gauges(MeterRegistry registry) {
        registry.gauge("keyhook.dispatcher.consumer.lag", lag);
        registry.gauge("keyhook.dispatcher.consumer.stalled", this, c -> c.stalled() ? 1 : 0);
        registry.gauge("keyhook.dispatcher.consumer.seconds.since.progress", this, EventConsumer::secondsSinceProgress);
        lookUpTime = Timer.builder("keyhook.dispatcher.batch.lookup")
                .description("Time a batch of new deliveries waits for the store look-up (per-record order, re-reads)")
                .publishPercentiles(0.5, 0.99).register(registry);
        // every reason's counter exists from the start at 0: a counter born at 1 by the first dead letter after a
        // restart would be invisible to rate() and increase(), and so to the KeyhookDeadLettersGrowing alert
        for (EventParser.Reason reason : EventParser.Reason.values()) {
            deadLetterCounter(registry, reason.code());
        }
        deadLetterCounter(registry, UNKNOWN_TYPE);
        deadLetterCounter(registry, UNSTORABLE);
    }

    static final String DEAD_LETTERED = "keyhook.dispatcher.events.dead_lettered";
    static final String UNKNOWN_TYPE = "unknown_type";
    static final String UNSTORABLE = "unstorable";

    private void deadLetterCounter(MeterRegistry registry, String reason) {
        counters.computeIfAbsent(DEAD_LETTERED + "/" + reason, k -> registry.counter(DEAD_LETTERED, "reason", reason));
    }

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private volatile boolean running = true;
    private ProgressWatch progress;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private EventParser parser;

    void start(@Observes StartupEvent event) {
        parser = new EventParser(json, config.kafka().maxRecordBytes());
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
        KafkaConsumer<String, byte[]> c = consumer;
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
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
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
                    ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(20));
                    if (!records.isEmpty()) {
                        progress.recordsArrived();
                        handle(records, tracker);
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

    /** Seconds since the consumer last moved a commit position, or 0 while nothing waits. */
    public long secondsSinceProgress() {
        ProgressWatch p = progress;
        return p == null ? 0 : p.secondsSinceProgress();
    }

    /** Before partitions go elsewhere (or at shutdown): wait a while for their deliveries, commit what is done. */
    private void drain(KafkaConsumer<String, byte[]> c, OffsetTracker tracker, Collection<TopicPartition> partitions) {
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
        private final KafkaConsumer<String, byte[]> c;
        private final OffsetTracker tracker;

        Rebalance(KafkaConsumer<String, byte[]> c, OffsetTracker tracker) {
            this.c = c;
            this.tracker = tracker;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("Handing over partitions %s (waiting for their deliveries, then committing)", partitions);
            }
            drain(c, tracker, partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("Now reading partitions %s", partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            tracker.forget(partitions);
        }
    }

    /** Consumer lag: records published and not yet done (delivered, stored or dropped) on our partitions. */
    private void measureLag(KafkaConsumer<String, byte[]> c, OffsetTracker tracker) {
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

    void handle(ConsumerRecords<String, byte[]> records, OffsetTracker tracker) {
        List<DeliveryRow> deliveries = new ArrayList<>();
        List<OffsetTracker.Ticket> tickets = new ArrayList<>();
        Map<DeliveryRow, ConsumerRecord<String, byte[]>> sources = new IdentityHashMap<>();
        Instant now = Instant.now();
        for (ConsumerRecord<String, byte[]> r : records) {
            count("keyhook.dispatcher.events.consumed", null);
            TopicPartition partition = new TopicPartition(r.topic(), r.partition());
            EventParser.Result parsed = parser.parse(r.key(), r.value());
            if (!parsed.ok()) {
                deadLetter(r, parsed.reason().code(), parsed.detail());
                tracker.track(partition, r.offset(), 0);
                continue;
            }
            if (environments.unknownType(parsed.event().environment(), parsed.event().type())) {
                deadLetter(r, UNKNOWN_TYPE, "the Environment's Configuration does not offer this type");
                tracker.track(partition, r.offset(), 0);
                continue;
            }
            int before = deliveries.size();
            route(parsed.event(), now, deliveries, tracing.received(r, parsed.event()));
            OffsetTracker.Ticket ticket = tracker.track(partition, r.offset(), deliveries.size() - before);
            for (int i = before; i < deliveries.size(); i++) {
                tickets.add(ticket);
                sources.put(deliveries.get(i), r);
            }
        }
        if (deliveries.isEmpty()) {
            return;
        }
        long checkedAt = System.nanoTime();
        Map<DeliveryRow, String> parked = new IdentityHashMap<>();
        DeliveryStore.Known known = lookUp(deliveries, parked);
        lookUpTime.record(System.nanoTime() - checkedAt, TimeUnit.NANOSECONDS);
        dispatch.forgetSeenBy(checkedAt);
        Set<ConsumerRecord<String, byte[]>> deadLettered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < deliveries.size(); i++) {
            DeliveryRow d = deliveries.get(i);
            OffsetTracker.Ticket ticket = tickets.get(i);
            if (parked.containsKey(d)) {
                // PostgreSQL refuses this row whatever we do: its record goes to the dead letters, the rest goes on
                count("keyhook.dispatcher.rows.parked", "lookup");
                ConsumerRecord<String, byte[]> source = sources.get(d);
                if (deadLettered.add(source)) {
                    deadLetter(source, UNSTORABLE, parked.get(d));
                }
                ticket.resolve();
                continue;
            }
            if (known.existing().contains(DeliveryStore.Known.eventKey(d))) {
                count("keyhook.dispatcher.deliveries.stored", "already_stored");
                ticket.resolve();
                continue;
            }
            dispatch.admit(d, known.openRecords().contains(DeliveryStore.Known.recordKey(d)), checkedAt,
                    ticket::resolve);
        }
    }

    /**
     * The store look-up a batch needs. While PostgreSQL is down it keeps trying (the batch waits, nothing is lost).
     * When PostgreSQL refuses the statement for what a row holds, the batch is split until that row is found; it goes
     * into {@code parked} with the reason, and the others are looked up: one bad row never holds up the rest.
     */
    private DeliveryStore.Known lookUp(List<DeliveryRow> deliveries, Map<DeliveryRow, String> parked) {
        try {
            return lookUpWaiting(deliveries);
        } catch (RuntimeException e) {
            if (!SqlFailures.isRowLevel(e)) {
                throw e;
            }
            if (deliveries.size() == 1) {
                parked.put(deliveries.get(0), "PostgreSQL refused the row (SQLSTATE " + SqlFailures.sqlState(e) + ")");
                return new DeliveryStore.Known(Set.of(), Set.of());
            }
            int half = deliveries.size() / 2;
            DeliveryStore.Known a = lookUp(deliveries.subList(0, half), parked);
            DeliveryStore.Known b = lookUp(deliveries.subList(half, deliveries.size()), parked);
            Set<String> open = new HashSet<>(a.openRecords());
            open.addAll(b.openRecords());
            Set<String> existing = new HashSet<>(a.existing());
            existing.addAll(b.existing());
            return new DeliveryStore.Known(open, existing);
        }
    }

    private DeliveryStore.Known lookUpWaiting(List<DeliveryRow> deliveries) {
        boolean perRecord = !"none".equals(config.delivery().ordering());
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                return store.known(deliveries, perRecord).await().atMost(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                if (SqlFailures.isRowLevel(e) || !running || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LOG.warnf("Looking up %d new deliveries failed (%s); retrying", deliveries.size(), e.toString());
                sleep(1000);
            }
        }
    }

    private void route(DataChangeEvent e, Instant now, List<DeliveryRow> out, String traceparent) {
        List<WebhookState> candidates = webhooks.ofEnvironment(e.environment());
        if (candidates.isEmpty()) {
            count("keyhook.dispatcher.events.dropped", "no_webhook");
            return;
        }
        boolean any = false;
        for (WebhookState w : candidates) {
            if (!w.wants(e.type())) {
                continue;
            }
            any = true;
            String id = SecretGenerator.newId("dl_");
            String orderingKey = "none".equals(config.delivery().ordering()) ? id : e.subject();
            out.add(new DeliveryRow(id, 0, w.id(), e.environment(), e.id(), msgId(w.id(), e.id()), e.type(),
                    orderingKey, DeliveryBody.of(json, e, now.toString()),
                    w.paused() ? DeliveryRow.HELD : DeliveryRow.PENDING, 0, now, now, traceparent));
        }
        if (!any) {
            count("keyhook.dispatcher.events.dropped", "not_opted_in");
        }
    }

    /** {@code webhook-id}: the same for every attempt of one event to one webhook, even after a re-read. */
    public static String msgId(String webhookId, String eventId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((webhookId + "/" + eventId).getBytes(StandardCharsets.UTF_8));
            return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 27);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason, String detail) {
        count(DEAD_LETTERED, reason);
        Span span = tracing.deadLettered(r, reason);
        Scope scope = span.makeCurrent();
        try {
            LOG.warnf("Dead-lettered the record at %s-%d@%d: %s (%s)", r.topic(), r.partition(), r.offset(), reason,
                    detail);
        } finally {
            scope.close();
            span.end();
        }
        deadLetters.send(r, reason, detail);
    }

    /** The group's consumer; settings from {@code keyhook.kafka.client.events.*}. */
    private KafkaConsumer<String, byte[]> newConsumer() {
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
        // values stay bytes until the parser has checked they are UTF-8 (the dead-letter topic gets them unchanged)
        return kafka.consumer("events", defaults, fixed, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
