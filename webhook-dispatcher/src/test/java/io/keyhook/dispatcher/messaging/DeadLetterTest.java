package io.keyhook.dispatcher.messaging;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.testing.KafkaBroker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dead-letter topic gets a record as it was published: its key and value bytes and every header (duplicates, binary
 * and null values, in order), then the {@code keyhook-dlq-*} and {@code keyhook-source-*} headers.
 */
@QuarkusTest
class DeadLetterTest {

    private static final String DLQ = "keyhook.data-changes.dlq";

    @Test
    void aDeadLetterKeepsTheRecordsKeyValueAndEveryHeaderAsPublished() throws Exception {
        // a key that is not UTF-8 (a string deserializer would turn 0xFF into U+FFFD) and a value that is not JSON
        byte[] key = { 'e', 'n', 'v', '-', (byte) 0xFF, 'x' };
        byte[] value = ("not json " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        List<Header> published = List.of(new RecordHeader("nc-label", bytes("blue")),
                new RecordHeader("x-nc-origin", bytes("billing-service")), new RecordHeader("x-nc-tag", bytes("one")),
                new RecordHeader("x-nc-tag", bytes("two")),
                new RecordHeader("x-nc-binary", new byte[] { 0, (byte) 0xFF, (byte) 0x80, '\n', 0 }),
                new RecordHeader("x-nc-empty", null),
                new RecordHeader("traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")),
                // a header with our name, set by the publisher (or left by an earlier dead-lettering): kept, ours after
                new RecordHeader("keyhook-dlq-reason", bytes("set-by-the-publisher")));
        Properties p = KafkaBroker.shared().clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("keyhook.data-changes", null, key, value, published)).get(10,
                    TimeUnit.SECONDS);
        }

        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            found.clear();
            readAll(DLQ).stream().filter(r -> Arrays.equals(value, r.value())).forEach(found::add);
            return !found.isEmpty();
        });
        // at least once: a copy written again after a rebalance must be just as whole
        for (ConsumerRecord<byte[], byte[]> dead : found) {
            assertWhole(dead, key, value, published);
        }
    }

    private static void assertWhole(ConsumerRecord<byte[], byte[]> dead, byte[] key, byte[] value,
            List<Header> published) {
        List<String> got = new ArrayList<>();
        dead.headers().forEach(h -> got.add(show(h)));
        List<String> expected = new ArrayList<>();
        published.forEach(h -> expected.add(show(h)));
        List<String> ours = List.of("keyhook-dlq-reason", "keyhook-dlq-detail", "keyhook-source-topic",
                "keyhook-source-partition", "keyhook-source-offset");
        assertAll(() -> assertArrayEquals(key, dead.key(), "the key's bytes as published"),
                () -> assertArrayEquals(value, dead.value(), "the value's bytes as published"),
                () -> assertEquals(expected, got.subList(0, Math.min(got.size(), expected.size())),
                        "every header as published, in order"),
                () -> assertEquals(ours,
                        got.subList(Math.min(got.size(), published.size()), got.size()).stream()
                                .map(h -> h.substring(0, h.indexOf('='))).toList(),
                        "then ours"),
                () -> assertEquals("not_json",
                        new String(dead.headers().lastHeader("keyhook-dlq-reason").value(), StandardCharsets.UTF_8),
                        "the last keyhook-dlq-reason is ours"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A header as name=hex of its bytes (null: name=null), so binary values compare exactly. */
    private static String show(Header h) {
        if (h.value() == null) {
            return h.key() + "=null";
        }
        if (h.key().startsWith("keyhook-")) {
            return h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8);
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : h.value()) {
            hex.append(String.format("%02x", b));
        }
        return h.key() + "=" + hex;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties p = KafkaBroker.shared().clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            var end = consumer.endOffsets(parts);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() - deadline < 0) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
