package io.keyhook.webhooks.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.webhooks.persistence.ActivityRow;
import io.keyhook.webhooks.service.ActivityStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads {@code keyhook.operational-events} in this service's own consumer group (replicas share the partitions) for the
 * activity feed and the e-mail notifier ({@link ActivityStore}). A batch's offsets are committed only after it was
 * stored: a crash re-reads it, and storing again is a no-op (events are kept once per id), so nothing is lost.
 */
@ApplicationScoped
public class OperationalEventConsumer {

    /** The consumer group: its own, so it reads every event whatever other services' groups do. */
    static final String GROUP = "keyhook-webhook-config-operational-events";

    private static final Logger LOG = Logger.getLogger(OperationalEventConsumer.class);

    @Inject
    KafkaClients kafka;

    @Inject
    KafkaSettings settings;

    @Inject
    ActivityStore store;

    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "keyhook-operational-events");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> c = kafka.consumer("webhook-config-operational-events",
                    Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                            500),
                    Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer = c;
                c.subscribe(List.of(settings.operationalEventsTopic()));
                while (running) {
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        continue;
                    }
                    Instant now = Instant.now();
                    List<ActivityRow> events = new ArrayList<>();
                    for (ConsumerRecord<String, String> r : records) {
                        events.add(store.parse(r.value(), now));
                    }
                    store.store(events.stream().filter(Objects::nonNull).toList()).await()
                            .atMost(Duration.ofSeconds(60));
                    c.commitSync();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // PostgreSQL or the broker failed mid-batch: a new consumer re-reads from the last committed offsets
                LOG.warnf("Operational events not stored (%s); re-reading from the last committed offsets in 2 s",
                        e.toString());
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
