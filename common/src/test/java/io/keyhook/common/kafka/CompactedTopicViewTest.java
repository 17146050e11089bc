package io.keyhook.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.Topics;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.testing.ContractSamples;
import io.keyhook.testing.KafkaBroker;

/**
 * The one place a view's records are checked, against a real broker: a tombstone removes, a record that is not the
 * topic's or sits under another key is counted and skipped (the view carries on), and the catch-up signal comes only
 * once everything that was on the topic at start is applied.
 */
class CompactedTopicViewTest {

    static final ObjectMapper JSON = ContractSamples.mapper();
    static KafkaProducer<String, String> producer;
    static KafkaClients kafka;

    /** What the listener was told, in order. */
    static final class Recorder implements CompactedTopicView.Listener<String, WebhookState> {
        final Map<String, WebhookState> held = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void put(String key, WebhookState value) {
            held.put(key, value);
            calls.add("put " + key);
        }

        @Override
        public void remove(String key) {
            held.remove(key);
            calls.add("remove " + key);
        }
    }

    @BeforeAll
    static void clients() {
        KafkaBroker broker = KafkaBroker.shared();
        kafka = KafkaClients.of(broker.bootstrapServers(), broker.securityProperties());
        producer = new KafkaProducer<>(broker.clientProperties(), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    static String topic() {
        return "view-test-" + UUID.randomUUID();
    }

    /** A new topic of one partition, so the records are read in the order they were sent. */
    static String createdTopic() throws Exception {
        String topic = topic();
        try (Admin admin = Admin.create(KafkaBroker.shared().clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        return topic;
    }

    static void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    }

    static String webhook(String id, long version) {
        return ContractSamples.json("keyhook.webhooks").replace("wh_Sample1", id).replace("\"version\":4",
                "\"version\":" + version);
    }

    static CompactedTopicView<String, WebhookState> view(String topic, boolean create, Recorder recorder) {
        return new CompactedTopicView<>(kafka, OrderedSender.compacted(topic, 1, (short) 1), create, "view-test",
                Topics.WEBHOOKS, JSON, recorder);
    }

    @Test
    void goodRecordsAreAppliedTombstonesRemoveAndBadOnesAreSkipped() throws Exception {
        String topic = createdTopic();
        send(topic, "wh_A", webhook("wh_A", 1));
        send(topic, "wh_B", webhook("wh_B", 1));
        send(topic, "wh_B", null); // a tombstone
        send(topic, "wh_C", webhook("wh_Other", 1)); // under another webhook's key
        send(topic, "wh_D", "{not json"); // unreadable
        send(topic, "wh_E", "null"); // JSON, but no record
        send(topic, "wh_F", "{\"id\":\"wh_F\",\"unexpected\":true,\"version\":\"not a number\"}"); // not the record
        send(topic, "wh_G", webhook("wh_G", 2));

        Recorder recorder = new Recorder();
        try (var view = view(topic, true, recorder).start()) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(view::caughtUp);

            assertEquals(List.of("put wh_A", "put wh_B", "remove wh_B", "put wh_G"), recorder.calls);
            assertEquals(Map.of("wh_A", JSON.readValue(webhook("wh_A", 1), WebhookState.class), "wh_G",
                    JSON.readValue(webhook("wh_G", 2), WebhookState.class)), recorder.held);
            assertEquals(4, view.applied(), "three records and a tombstone");
            assertEquals(4, view.skipped(), "wrong key, not JSON, null, not a webhook");
            assertTrue(view.healthy());
            assertEquals("caught up", view.state());

            // and it keeps following after catching up
            send(topic, "wh_A", null);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.held.containsKey("wh_A"));
        }
    }

    @Test
    void theCatchUpSignalComesOnlyOnceEverythingThereAtStartIsApplied() throws Exception {
        String topic = createdTopic();
        int records = 300;
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(topic, "wh_N" + i, webhook("wh_N" + i, 1)));
        }
        producer.flush();

        Recorder recorder = new Recorder();
        try (var view = view(topic, true, recorder)) {
            assertFalse(view.caughtUp());
            assertEquals("catching up", view.state());
            // counted on the view's thread as the signal is given
            var heldWhenSignalled = view.whenCaughtUp().thenApply(v -> recorder.held.size()).toCompletableFuture();
            view.start();

            assertEquals(records, heldWhenSignalled.get(30, TimeUnit.SECONDS),
                    "every record there at start was applied before the signal");
            assertTrue(view.caughtUp());
        }
    }

    @Test
    void aTopicItMayNotCreateIsAProblemUntilItExists() throws Exception {
        String topic = topic();
        Recorder recorder = new Recorder();
        try (var view = view(topic, false, recorder).start()) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> view.problem() != null);
            assertTrue(view.problem().startsWith("the topic does not exist"), view.problem());
            assertEquals(view.problem(), view.state());
            assertFalse(view.healthy());

            try (Admin admin = Admin.create(KafkaBroker.shared().clientProperties())) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            }
            send(topic, "wh_A", webhook("wh_A", 1));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(view::healthy);
            assertNull(view.problem());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> recorder.held.containsKey("wh_A"));
        }
    }
}
