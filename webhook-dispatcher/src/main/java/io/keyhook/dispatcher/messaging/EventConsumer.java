package io.keyhook.dispatcher.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.crypto.SecretGenerator;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.delivery.DeliveryBody;
import io.keyhook.dispatcher.events.DataChangeEvent;
import io.keyhook.dispatcher.events.EventParser;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.view.WebhookState;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.MeterRegistry;
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
    DispatcherConfig config;

    @Inject
    WebhookView webhooks;

    @Inject
    io.keyhook.dispatcher.view.SigningSecrets secrets;

    @Inject
    io.keyhook.dispatcher.view.EnvironmentView environments;

    @Inject
    DeliveryStore store;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;
    private KafkaProducer<String, String> dlq;
    private EventParser parser;

    void start(@Observes StartupEvent event) {
        parser = new EventParser(json, config.kafka().maxRecordBytes());
        Thread t = new Thread(this::run, "keyhook-event-consumer");
        t.setDaemon(true);
        t.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (running && !(webhooks.caughtUp() && secrets.caughtUp() && environments.caughtUp())) {
            sleep(100);
        }
        while (running) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                c.subscribe(List.of(config.kafka().dataChangesTopic()));
                while (running) {
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        handle(records);
                        c.commitSync();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // PostgreSQL or the broker failed mid-batch: nothing was committed, so start over from the last
                // committed offsets (a new consumer rewinds to them)
                LOG.warnf("Event batch not completed (%s); re-reading from the last committed offsets in 2 s",
                        e.toString());
                sleep(2000);
            }
        }
    }

    void handle(ConsumerRecords<String, String> records) {
        List<DeliveryRow> deliveries = new ArrayList<>();
        Instant now = Instant.now();
        for (ConsumerRecord<String, String> r : records) {
            registry.counter("keyhook.dispatcher.events.consumed").increment();
            EventParser.Result parsed = parser.parse(r.key(), r.value());
            if (!parsed.ok()) {
                deadLetter(r, parsed.reason().code(), parsed.detail());
                continue;
            }
            if (environments.unknownType(parsed.event().environment(), parsed.event().type())) {
                deadLetter(r, "unknown_type", "the Environment's Configuration does not offer this type");
                continue;
            }
            route(parsed.event(), now, deliveries);
        }
        store.insertAll(deliveries).await().atMost(Duration.ofSeconds(30));
    }

    private void route(DataChangeEvent e, Instant now, List<DeliveryRow> out) {
        List<WebhookState> candidates = webhooks.ofEnvironment(e.environment());
        if (candidates.isEmpty()) {
            registry.counter("keyhook.dispatcher.events.dropped", "reason", "no_webhook").increment();
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
                    w.paused() ? DeliveryRow.HELD : DeliveryRow.PENDING, 0, now, now));
        }
        if (!any) {
            registry.counter("keyhook.dispatcher.events.dropped", "reason", "not_opted_in").increment();
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

    private void deadLetter(ConsumerRecord<String, String> r, String reason, String detail) {
        registry.counter("keyhook.dispatcher.events.dead_lettered", "reason", reason).increment();
        ProducerRecord<String, String> out = new ProducerRecord<>(config.kafka().deadLetterTopic(), r.key(), r.value());
        out.headers().add("keyhook-dlq-reason", reason.getBytes(StandardCharsets.UTF_8))
                .add("keyhook-dlq-detail", String.valueOf(detail).getBytes(StandardCharsets.UTF_8))
                .add("keyhook-source-topic", r.topic().getBytes(StandardCharsets.UTF_8))
                .add("keyhook-source-partition", String.valueOf(r.partition()).getBytes(StandardCharsets.UTF_8))
                .add("keyhook-source-offset", String.valueOf(r.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            producer().send(out).get(config.kafka().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot dead-letter a record", e);
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (dlq == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.kafka().sendTimeout().toMillis());
            dlq = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return dlq;
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().consumerGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "webhook-dispatcher-events");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
