package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.TopicReader;

/**
 * Hostile input against the running suite. Tenant A's receivers answer NUL bytes and broken UTF-8, a 256 MiB body, and
 * a body dripped one byte every 10 s; tenant A's data service publishes events with NUL characters, oversized fields
 * and broken UTF-8 among its valid ones. Through all of it tenant B's deliveries keep arriving within seconds, A's
 * valid events arrive, the dispatcher (256 MiB heap) stays up and ready, and every bad event is dead-lettered with its
 * field.
 */
@Tag("hostile")
class HostileInputE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESOURCE_ID = Pattern.compile("\"resourceId\":\"([^\"]+)\"");

    static Suite suite;
    static Setup setup;
    static HttpServer receiver;
    static final Map<String, Long> ARRIVED = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
    static final AtomicLong HUGE_BYTES = new AtomicLong();

    @BeforeAll
    static void setUp() throws IOException {
        suite = Suite.get();
        setup = Setup.of(suite);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/", HostileInputE2ETest::answer);
        receiver.start();
    }

    @AfterAll
    static void tearDown() {
        receiver.stop(0);
    }

    private static void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        HITS.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        Matcher m = RESOURCE_ID.matcher(body);
        if (m.find()) {
            ARRIVED.putIfAbsent(m.group(1), System.nanoTime());
        }
        try (OutputStream out = ex.getResponseBody()) {
            switch (path) {
            case "/a-nul" -> {
                byte[] answer = { 'o', 'k', 0, 0, (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE };
                ex.sendResponseHeaders(200, answer.length);
                out.write(answer);
            }
            case "/a-huge" -> {
                ex.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 256; i++) {
                    out.write(chunk);
                    HUGE_BYTES.addAndGet(chunk.length);
                }
            }
            case "/a-drip" -> {
                ex.sendResponseHeaders(200, 0);
                for (int i = 0; i < 6; i++) {
                    out.write('.');
                    out.flush();
                    Thread.sleep(10_000);
                }
            }
            default -> ex.sendResponseHeaders(204, -1);
            }
        } catch (IOException | InterruptedException e) {
            // the dispatcher hung up, as it should on /a-huge and /a-drip
        }
    }

    static String event(String env, String id, String subject) throws IOException {
        return JSON.writeValueAsString(Map.of("specversion", "1.0", "id", id, "source", "/patients", "type",
                "patients.updated", "subject", subject, "environment", env, "data",
                Map.of("resource", "patients", "resourceId", subject, "action", "updated", "updatedAt",
                        "2026-11-28T10:00:00Z", "href", "https://api.example.com/patients/" + subject)));
    }

    /** An Environment with a client and a webhook to {@code path} on the receiver; its id. */
    String tenant(String prefix, String path) {
        String env = setup.environment(prefix, prefix, "patients");
        Setup.Client c = setup.client(env, "app");
        setup.webhook(env, "http://127.0.0.1:" + receiver.getAddress().getPort() + path, "standard-webhooks",
                c.secretId());
        return env;
    }

    @Test
    void oneTenantsHostileDataAndReceiversNeverStopAnothersDeliveries() throws Exception {
        String b = tenant("hostile-b", "/b");
        String a = tenant("hostile-a", "/a-nul");
        String huge = tenant("hostile-huge", "/a-huge");
        String drip = tenant("hostile-drip", "/a-drip");
        Properties p = KafkaBroker.shared().clientProperties();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            // the dispatcher's views take a moment to see new webhooks: warm both tenants up first
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                send(producer, b, event(b, SecretGenerator.newId("evt_"), "warm-b"));
                send(producer, a, event(a, SecretGenerator.newId("evt_"), "warm-a"));
                return ARRIVED.containsKey("warm-b") && ARRIVED.containsKey("warm-a");
            });

            Map<String, Long> sentB = new ConcurrentHashMap<>();
            List<String> validA = new ArrayList<>();
            List<Integer> readiness = Collections.synchronizedList(new ArrayList<>());
            int badEvents = 0;
            long end = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            int i = 0;
            while (System.nanoTime() < end) {
                // tenant B: 20 events a second, each about its own record
                for (int k = 0; k < 4; k++, i++) {
                    String subject = "b-" + i;
                    sentB.put(subject, System.nanoTime());
                    send(producer, b, event(b, "evt-b-" + i, subject));
                }
                if (i % 20 == 0) {
                    // tenant A's data service: NUL characters, oversized fields, broken UTF-8, and a valid event
                    send(producer, a, event(a, "nul\u0000" + i, "p-1"));
                    send(producer, a, event(a, "nul-subject-" + i, "p\u0000" + i));
                    send(producer, a, event(a, "x".repeat(6 * 1024) + i, "p-1"));
                    send(producer, a, event(a, "long-subject-" + i, "s".repeat(100 * 1024)));
                    producer.send(new ProducerRecord<>("keyhook.data-changes", a, event(a, "utf8-" + i, "p-1")
                            .replace("/patients\"", "/pat\u00e9ients\"").getBytes(StandardCharsets.ISO_8859_1)))
                            .get(10, TimeUnit.SECONDS);
                    badEvents += 5;
                    String valid = "a-ok-" + i;
                    validA.add(valid);
                    send(producer, a, event(a, "evt-" + valid, valid));
                    // the huge and the dripping receivers get events of their own
                    send(producer, huge, event(huge, "evt-h-" + i, "h-" + i));
                    send(producer, drip, event(drip, "evt-d-" + i, "d-" + i));
                    readiness.add(given().get(suite.dispatcher.url() + "/q/health/ready").statusCode());
                }
                Thread.sleep(200);
            }

            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> sentB.keySet().stream().allMatch(ARRIVED::containsKey)
                            && validA.stream().allMatch(ARRIVED::containsKey));
            List<Long> latencies = new ArrayList<>();
            sentB.forEach((subject, sentAt) -> latencies.add((ARRIVED.get(subject) - sentAt) / 1_000_000));
            Collections.sort(latencies);
            long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
            int lost = (int) sentB.keySet().stream().filter(s -> !ARRIVED.containsKey(s)).count();

            int totalBad = badEvents;
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> deadLettered(a) >= totalBad);
            String metrics = given().get(suite.dispatcher.url() + "/q/metrics").asString();
            long heap = heapUsed(metrics);
            int hugeHits = HITS.getOrDefault("/a-huge", new AtomicInteger()).get();
            System.out.printf(
                    "RESULT hostile input: tenant B %d events sent during the attack, %d delivered, %d lost, other tenants' p99"
                            + " during the attack %d ms;"
                            + " tenant A %d valid of %d delivered, %d bad events dead-lettered as invalid_field;"
                            + " 256 MiB answers cut after %d KiB on average (%d attempts); dispatcher heap %d MiB of 256;"
                            + " readiness %s%n",
                    sentB.size(), sentB.size() - lost, lost, p99, validA.stream().filter(ARRIVED::containsKey).count(),
                    validA.size(), deadLettered(a), hugeHits == 0 ? 0 : HUGE_BYTES.get() / 1024 / hugeHits, hugeHits,
                    heap >> 20, readiness.stream().allMatch(s -> s == 200) ? "200 throughout" : readiness.toString());

            assertEquals(0, lost, "tenant B lost deliveries");
            assertTrue(p99 < 5_000, "tenant B's p99 during the attack: " + p99 + " ms");
            assertEquals(totalBad, deadLettered(a));
            assertTrue(readiness.stream().allMatch(s -> s == 200), "readiness during the attack: " + readiness);
            assertTrue(hugeHits > 0 && HUGE_BYTES.get() / hugeHits < 64L << 20, "huge answers were read to the end");
            assertTrue(HITS.getOrDefault("/a-drip", new AtomicInteger()).get() > 0);
            given().get(suite.dispatcher.url() + "/q/health/ready").then().statusCode(200);
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>("keyhook.data-changes", key, value.getBytes(StandardCharsets.UTF_8))).get(10,
                TimeUnit.SECONDS);
    }

    private static long deadLettered(String env) {
        return TopicReader.readAll("keyhook.data-changes.dlq").stream().filter(r -> env.equals(r.key()))
                .filter(r -> r.headers().lastHeader("keyhook-dlq-reason") != null && "invalid_field".equals(
                        new String(r.headers().lastHeader("keyhook-dlq-reason").value(), StandardCharsets.UTF_8)))
                .count();
    }

    /** The dispatcher's used heap, summed over its heap pools. */
    private static long heapUsed(String metrics) {
        long sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
