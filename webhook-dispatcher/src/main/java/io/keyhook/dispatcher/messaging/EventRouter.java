package io.keyhook.dispatcher.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.DataChangeEvent;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.sql.SqlFailures;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.persistence.DroppedEventIds;
import io.keyhook.dispatcher.persistence.DroppedEvents;
import io.keyhook.dispatcher.service.DeliveryBody;
import io.keyhook.dispatcher.service.DeliveryTracing;
import io.keyhook.dispatcher.service.DirectDispatch;
import io.keyhook.dispatcher.view.EnvironmentView;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/**
 * The dispatcher's router: what each record read from {@code keyhook.data-changes} becomes. Malformed records and types
 * the Environment's Configuration does not offer are dead-lettered ({@link DeadLetterSender}); an event nobody opted
 * into is dropped (counted); the rest become one delivery per opted-in webhook, checked against the store and handed to
 * {@link DirectDispatch}. The poll loop around it is {@link EventConsumer}.
 */
// @Singleton, not @ApplicationScoped: created with the EventConsumer at start (no lazy proxy), so its counters exist
// at 0 before the first event, as the dead-letter alert needs (AlertsE2ETest)
@Singleton
public class EventRouter {

    private static final Logger LOG = Logger.getLogger(EventRouter.class);

    @Inject
    DeliveryTracing tracing;

    @Inject
    DispatcherConfig config;

    @Inject
    WebhookView webhooks;

    @Inject
    EnvironmentView environments;

    @Inject
    DroppedEvents dropped;

    @Inject
    DroppedEventIds droppedIds;

    @Inject
    DeliveryStore store;

    @Inject
    DeadLetterSender deadLetters;

    @Inject
    DirectDispatch dispatch;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private EventParser parser;

    private Timer lookUpTime;
    // counters looked up once per name and reason, not per record
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    private void count(String name, String reason) {
        counters.computeIfAbsent(reason == null ? name : name + "/" + reason,
                k -> reason == null ? registry.counter(name) : registry.counter(name, "reason", reason)).increment();
    }

    @Inject
    void metrics(MeterRegistry registry) {
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

    @PostConstruct
    void init() {
        parser = new EventParser(json, config.kafka().maxRecordBytes());
    }

    /**
     * Turns one polled batch into deliveries: parses each record, dead-letters what it cannot use, routes the rest to
     * the webhooks that opted in, looks the batch up in the store (re-reads, per-record order) and hands each new
     * delivery to {@link DirectDispatch}. Every record gets its ticket in {@code tracker}. {@code running} false stops
     * a look-up waiting for PostgreSQL (shutdown).
     */
    void handle(ConsumerRecords<byte[], byte[]> records, OffsetTracker tracker, BooleanSupplier running) {
        List<DeliveryRow> deliveries = new ArrayList<>();
        List<OffsetTracker.Ticket> tickets = new ArrayList<>();
        Map<DeliveryRow, ConsumerRecord<byte[], byte[]>> sources = new IdentityHashMap<>();
        Instant now = Instant.now();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            count("keyhook.dispatcher.events.consumed", null);
            TopicPartition partition = new TopicPartition(r.topic(), r.partition());
            // decoded as Kafka's StringDeserializer does; the bytes themselves go to the dead letters
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            EventParser.Result parsed = parser.parse(key, r.value());
            if (!parsed.ok()) {
                deadLetter(r, parsed.reason().code(), parsed.detail());
                keepDeadLettered(key, r, parsed.reason().code(), parsed.detail(), now);
                tracker.track(partition, r.offset(), 0);
                continue;
            }
            if (environments.unknownType(parsed.event().environment(), parsed.event().type())) {
                // the type is the publisher's and unbounded: counted without it
                dropped.count(parsed.event().environment(), UNKNOWN_TYPE, null);
                deadLetter(r, UNKNOWN_TYPE, "the Environment's Configuration does not offer this type");
                keepId(parsed.event(), UNKNOWN_TYPE,
                        "the Environment's Configuration does not offer this type; dead-lettered", now);
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
        DeliveryStore.Known known = lookUp(deliveries, parked, running);
        lookUpTime.record(System.nanoTime() - checkedAt, TimeUnit.NANOSECONDS);
        dispatch.forgetSeenBy(checkedAt);
        Set<ConsumerRecord<byte[], byte[]>> deadLettered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < deliveries.size(); i++) {
            DeliveryRow d = deliveries.get(i);
            OffsetTracker.Ticket ticket = tickets.get(i);
            if (parked.containsKey(d)) {
                // PostgreSQL refuses this row whatever we do: its record goes to the dead letters, the rest goes on
                count("keyhook.dispatcher.rows.parked", "lookup");
                ConsumerRecord<byte[], byte[]> source = sources.get(d);
                if (deadLettered.add(source)) {
                    deadLetter(source, UNSTORABLE, parked.get(d));
                    keepDeadLettered(source.key() == null ? null : new String(source.key(), StandardCharsets.UTF_8),
                            source, UNSTORABLE, parked.get(d), Instant.now());
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
    private DeliveryStore.Known lookUp(List<DeliveryRow> deliveries, Map<DeliveryRow, String> parked,
            BooleanSupplier running) {
        try {
            return lookUpWaiting(deliveries, running);
        } catch (RuntimeException e) {
            if (!SqlFailures.isRowLevel(e)) {
                throw e;
            }
            if (deliveries.size() == 1) {
                parked.put(deliveries.get(0), "PostgreSQL refused the row (SQLSTATE " + SqlFailures.sqlState(e) + ")");
                return new DeliveryStore.Known(Set.of(), Set.of());
            }
            int half = deliveries.size() / 2;
            DeliveryStore.Known a = lookUp(deliveries.subList(0, half), parked, running);
            DeliveryStore.Known b = lookUp(deliveries.subList(half, deliveries.size()), parked, running);
            Set<String> open = new HashSet<>(a.openRecords());
            open.addAll(b.openRecords());
            Set<String> existing = new HashSet<>(a.existing());
            existing.addAll(b.existing());
            return new DeliveryStore.Known(open, existing);
        }
    }

    private DeliveryStore.Known lookUpWaiting(List<DeliveryRow> deliveries, BooleanSupplier running) {
        boolean perRecord = !"none".equals(config.delivery().ordering());
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                return store.known(deliveries, perRecord).await().atMost(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                if (SqlFailures.isRowLevel(e) || !running.getAsBoolean() || System.nanoTime() - deadline > 0) {
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
            countFor(e, "no_webhook", now);
            return;
        }
        boolean any = false;
        for (WebhookState w : candidates) {
            // an operational webhook gets operational events only (OperationalEventConsumer), never data changes
            if (w.operational() || !w.wants(e.type())) {
                continue;
            }
            any = true;
            String id = SecretGenerator.newId("dl_");
            String orderingKey = "none".equals(config.delivery().ordering()) ? id : e.subject();
            out.add(new DeliveryRow(id, 0, w.id(), e.environment(), e.id(), msgId(w.id(), e.id()), e.type(),
                    orderingKey, DeliveryBody.of(json, e, now.toString()),
                    w.paused() ? DeliveryRow.HELD : DeliveryRow.PENDING, 0, now, now, traceparent,
                    e.data().resourceId()));
        }
        if (!any) {
            count("keyhook.dispatcher.events.dropped", "not_opted_in");
            countFor(e, "not_opted_in", now);
        }
    }

    /**
     * Counts a dropped event for its Environment's admins, only for an Environment the dispatcher knows (whose types
     * its Configuration bounds): a publisher's made-up Environment ids must not grow the table.
     */
    private void countFor(DataChangeEvent e, String reason, Instant now) {
        if (environments.environment(e.environment()) != null) {
            dropped.count(e.environment(), reason, e.type());
            keepId(e, reason, null, now);
        }
    }

    /** Keeps a dropped event's id for the event trail (an Environment the dispatcher knows only). */
    private void keepId(DataChangeEvent e, String reason, String detail, Instant now) {
        if (environments.environment(e.environment()) != null) {
            droppedIds.record(new DroppedEventIds.Dropped(e.environment(), e.id(), DroppedEventIds.DROPPED, reason,
                    detail, e.type(), e.subject(), e.data().resourceId(), now));
        }
    }

    /**
     * Keeps a dead-lettered record's id when its Environment (one the dispatcher knows) and id can be read safely;
     * nothing else of it. A record that cannot be read is only dead-lettered, as before.
     */
    private void keepDeadLettered(String key, ConsumerRecord<byte[], byte[]> r, String reason, String detail,
            Instant now) {
        EventParser.Identity id = parser.identify(key, r.value());
        if (id != null && environments.environment(id.environment()) != null) {
            droppedIds.record(new DroppedEventIds.Dropped(id.environment(), id.id(), DroppedEventIds.DEAD_LETTERED,
                    reason, detail, id.type(), id.subject(), id.resourceId(), now));
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

    private void deadLetter(ConsumerRecord<byte[], byte[]> r, String reason, String detail) {
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
