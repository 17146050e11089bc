package io.keyhook.dispatcher.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.OutboxRows;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.text.SafeText;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryLogInserts;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.LogEntry;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Delivers operational events (issue 31) to each Environment's operational webhook: reads
 * {@code keyhook.operational-events} in its own consumer group and stores one pending delivery per operational webhook
 * of the event's Environment; the engine sends it like any stored delivery (signed per the webhook's security method,
 * retried on the schedule, in order per subject). Offsets are committed once a batch's deliveries are stored, so a
 * crash re-reads it, and the store's unique (webhook, event id) drops a repeated id. A data webhook never gets one.
 * Malformed records are logged and skipped.
 */
@ApplicationScoped
public class OperationalEventConsumer {

    private static final Logger LOG = Logger.getLogger(OperationalEventConsumer.class);

    private final DispatcherConfig config;
    private final KafkaClients kafka;
    private final KafkaSettings kafkaSettings;
    private final WebhookView webhooks;
    private final DeliveryLogInserts inserts;
    private final Pool pool;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final OperationalEventParser parser;

    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    OperationalEventConsumer(DispatcherConfig config, KafkaClients kafka, KafkaSettings kafkaSettings,
            WebhookView webhooks, DeliveryLogInserts inserts, Pool pool, ObjectMapper json, MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
        this.kafkaSettings = kafkaSettings;
        this.webhooks = webhooks;
        this.inserts = inserts;
        this.pool = pool;
        this.json = json;
        this.registry = registry;
        this.parser = new OperationalEventParser(json, config.operational().maxEventBytes());
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "keyhook-operational-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (running && !webhooks.caughtUp()) {
            sleep(100);
        }
        while (running) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                c.subscribe(List.of(kafkaSettings.operationalEventsTopic()));
                while (running) {
                    ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        continue;
                    }
                    storeUntilDone(deliveries(records));
                    c.commitSync();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // what was not committed is read again; stored deliveries are not stored twice
                LOG.warnf("Operational events not completed (%s); re-reading in 2 s", e.toString());
                sleep(2000);
            }
        }
    }

    /** One pending delivery per operational webhook of each event's Environment. */
    List<LogEntry> deliveries(ConsumerRecords<String, byte[]> records) {
        List<LogEntry> out = new ArrayList<>();
        Instant now = Instant.now();
        for (ConsumerRecord<String, byte[]> r : records) {
            OperationalEventParser.Result parsed = parser.parse(r.value());
            if (parsed.event() == null) {
                registry.counter("keyhook.dispatcher.operational.skipped").increment();
                LOG.warnf("Skipped the record at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                        SafeText.sanitize(parsed.problem(), 200));
                continue;
            }
            OperationalEvent e = parsed.event();
            String body = OutboxRows.toJson(e, json);
            for (WebhookState w : webhooks.ofEnvironment(e.environment())) {
                if (!w.operational()) {
                    continue;
                }
                String id = SecretGenerator.newId("dl_");
                String subject = e.subject() == null ? e.type() : e.subject();
                String orderingKey = "none".equals(config.delivery().ordering()) ? id : subject;
                String status = w.paused() ? DeliveryRow.HELD : DeliveryRow.PENDING;
                DeliveryRow row = new DeliveryRow(id, 0, w.id(), e.environment(), e.id(),
                        EventRouter.msgId(w.id(), e.id()), e.type(), orderingKey, body, status, 0, now, now, null);
                out.add(new LogEntry(row, status, 0, now, null, null, null, null));
            }
        }
        return out;
    }

    /** Stores the batch, waiting out a PostgreSQL outage (the offsets wait with it). */
    private void storeUntilDone(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long backoff = 100;
        while (running) {
            try {
                pool.withTransaction(c -> inserts.insert(c, entries)).await().atMost(Duration.ofSeconds(30));
                registry.counter("keyhook.dispatcher.operational.deliveries").increment(entries.size());
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Storing %d operational deliveries failed (%s); retrying", entries.size(), e.toString());
                sleep(backoff);
                backoff = Math.min(5000, backoff * 2);
            }
        }
        throw new WakeupException();
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        Map<String, Object> fixed = new HashMap<>();
        fixed.put(ConsumerConfig.GROUP_ID_CONFIG, config.operational().consumerGroup());
        fixed.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        fixed.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        fixed.put(ConsumerConfig.CLIENT_ID_CONFIG, "webhook-dispatcher-operational");
        return kafka.consumer("operational", defaults, fixed, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
