package io.keyhook.dispatcher.service;

import static io.keyhook.dispatcher.service.DeliveryFlowTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.Topics;
import io.keyhook.dispatcher.persistence.DeliveryLog;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.persistence.LogEntry;
import io.keyhook.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One tenant's hostile data never stops another's deliveries: events with NUL characters, oversized fields or broken
 * UTF-8 are dead-lettered with the field named; receiver answers with NUL bytes or broken UTF-8 are stored sanitised; a
 * receiver streaming a huge answer costs only the cap; a dripping receiver is cut off at the attempt's deadline; a row
 * PostgreSQL refuses is parked and its batch goes on; a paused webhook gets nothing, retries included.
 */
@QuarkusTest
class HostileInputTest {

    /** The delivery waits below measure deliveries, not the event consumer's first group join. */
    @BeforeEach
    void eventConsumerReads() {
        DispatcherViews.awaitEventConsumer();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
    static final AtomicLong HUGE_BYTES_WRITTEN = new AtomicLong();
    /** Counted down when the receiver stops writing its huge answer (the dispatcher hung up, or all was written). */
    static final CountDownLatch HUGE_ANSWER_ENDED = new CountDownLatch(1);
    static volatile int flakyStatus = 500;
    static final List<Instant> FLAKY_AT = new CopyOnWriteArrayList<>();
    static final HttpServer RECEIVER = receiver();

    @Inject
    DeliveryStore store;

    @Inject
    DeliveryLog deliveryLog;

    @Inject
    DeliveryLogWriter writer;

    private static HttpServer receiver() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.setExecutor(Executors.newCachedThreadPool());
            s.createContext("/", HostileInputTest::answer);
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        ex.getRequestBody().readAllBytes();
        HITS.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        try (OutputStream out = ex.getResponseBody()) {
            switch (path) {
            case "/nul" -> {
                byte[] body = { 'o', 'k', 0, 0, (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'e', 'n', 'd' };
                ex.sendResponseHeaders(200, body.length);
                out.write(body);
            }
            case "/nul500" -> {
                byte[] body = { 'e', 'r', 'r', 0, (byte) 0xFE };
                ex.sendResponseHeaders(500, body.length);
                out.write(body);
            }
            case "/huge" -> {
                // 256 MiB, chunked, as fast as the dispatcher reads it
                try {
                    ex.sendResponseHeaders(200, 0);
                    byte[] chunk = new byte[1 << 20];
                    java.util.Arrays.fill(chunk, (byte) 'x');
                    for (int i = 0; i < 256; i++) {
                        out.write(chunk);
                        HUGE_BYTES_WRITTEN.addAndGet(chunk.length);
                    }
                } finally {
                    HUGE_ANSWER_ENDED.countDown();
                }
            }
            case "/drip" -> {
                // one byte a second for a minute: never idle long enough for an idle timeout
                ex.sendResponseHeaders(200, 0);
                for (int i = 0; i < 60; i++) {
                    out.write('.');
                    out.flush();
                    Thread.sleep(1000);
                }
            }
            case "/flaky" -> {
                FLAKY_AT.add(Instant.now());
                ex.sendResponseHeaders(flakyStatus, -1);
            }
            default -> {
                ex.sendResponseHeaders(200, 2);
                out.write("{}".getBytes(StandardCharsets.UTF_8));
            }
            }
        } catch (IOException | InterruptedException e) {
            // the dispatcher hung up: what this test wants for /huge and /drip
        }
    }

    static String url(String path) {
        return "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + path;
    }

    static int hits(String path) {
        AtomicInteger n = HITS.get(path);
        return n == null ? 0 : n.get();
    }

    /** An Environment with a client, a secret and a standard-webhooks webhook: {env, webhookId, secretId}. */
    static String[] tenant(String path) throws Exception {
        String env = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        String secret = SecretGenerator.newSecret();
        String clientId = SecretGenerator.newId("cl_");
        String secretId = SecretGenerator.newId("sec_");
        String ciphertext = new LocalKeyFileCipher(Path.of("target/test-keys/secret-cipher.keys")).encryptNow(env,
                secret.getBytes(StandardCharsets.UTF_8));
        Topics.send("keyhook.credentials", clientId,
                "{\"schemaVersion\":1,\"kind\":\"api\",\"clientId\":\"" + clientId + "\",\"environment\":\"" + env
                        + "\",\"status\":\"active\",\"secrets\":[{\"id\":\"" + secretId
                        + "\",\"status\":\"active\",\"ciphertext\":\"" + ciphertext + "\"}]}");
        String[] t = { env, SecretGenerator.newId("wh_"), secretId };
        webhookRecord(t, path, false, 1);
        DispatcherViews.awaitWebhookAndSecret(t[1], 1, t[2]);
        return t;
    }

    static void webhookRecord(String[] t, String path, boolean paused, int version) throws Exception {
        Topics.send("keyhook.webhooks", t[1],
                JSON.writeValueAsString(Map.of("schemaVersion", 1, "id", t[1], "environment", t[0], "url", url(path),
                        "notificationTypes", List.of("patients.updated"), "paused", paused, "security",
                        Map.of("method", "standard-webhooks", "secretIds", List.of(t[2])), "version", version)));
    }

    static String rawEvent(String env, String id, String subject) throws Exception {
        Map<String, Object> data = Map.of("resource", "patients", "resourceId", "p-1", "action", "updated", "updatedAt",
                "2026-11-28T10:00:00Z", "href", "https://api.example.com/patients/p-1");
        return JSON.writeValueAsString(Map.of("specversion", "1.0", "id", id, "source", "/test", "type",
                "patients.updated", "subject", subject, "environment", env, "data", data));
    }

    private static String randomText(int chars) {
        StringBuilder b = new StringBuilder(chars);
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < chars; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void eventsWithNulOrOversizedFieldsAreDeadLetteredAndOtherTenantsStillReceiveTheirs() throws Exception {
        String[] a = tenant("/tenant-a");
        String[] b = tenant("/tenant-b");
        // tenant A's data service misbehaves
        Topics.send("keyhook.data-changes", a[0], rawEvent(a[0], "nul\u0000id", "p-1"));
        Topics.send("keyhook.data-changes", a[0], rawEvent(a[0], "nul-subject", "p\u0000-1"));
        Topics.send("keyhook.data-changes", a[0], rawEvent(a[0], randomText(6 * 1024), "p-1"));
        Topics.send("keyhook.data-changes", a[0], rawEvent(a[0], "long-subject", randomText(100 * 1024)));
        byte[] broken = rawEvent(a[0], "broken-utf8", "p-1").replace("/test", "/t\u00e9st")
                .getBytes(StandardCharsets.ISO_8859_1);
        Topics.sendBytes("keyhook.data-changes", a[0], broken);
        // then both tenants publish good events
        event(b[0], "b-good", "patients.updated", "p-9");
        event(a[0], "a-good", "patients.updated", "p-8");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> hits("/tenant-b") == 1 && hits("/tenant-a") == 1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> TopicReader.readAll("keyhook.data-changes.dlq")
                .stream().filter(r -> a[0].equals(r.key())).count() == 5);
        List<String> details = new ArrayList<>();
        for (var r : TopicReader.readAll("keyhook.data-changes.dlq")) {
            if (a[0].equals(r.key())) {
                assertEquals("invalid_field", header(r, "keyhook-dlq-reason"));
                details.add(header(r, "keyhook-dlq-detail"));
            }
        }
        assertEquals(List.of("field id contains a NUL character", "field subject contains a NUL character",
                "field id longer than 256 characters", "field subject longer than 1024 characters",
                "the record is not valid UTF-8"), details);
    }

    @Test
    void receiverAnswersWithNulBytesAndBrokenUtf8AreStoredSanitised() throws Exception {
        String[] ok = tenant("/nul");
        String[] failing = tenant("/nul500");
        String[] other = tenant("/other");
        event(ok[0], "n1", "patients.updated", "p-1");
        event(failing[0], "n2", "patients.updated", "p-2");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(ok[1], "delivered").await().indefinitely() == 1);
        // the failing one is retried by the engine (300 ms apart in tests) until it fails for good: all recorded
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(failing[1], "failed").await().indefinitely() == 1);
        DeliveryRow d = deliveryLog.page(ok[0], ok[1], null, null, null, null, null, 10).await().indefinitely().get(0);
        String stored = deliveryLog.attempts(d.id()).await().indefinitely().get(0).response();
        assertEquals("ok\uFFFD\uFFFD\uFFFD(\uFFFDend", stored);
        DeliveryRow f = deliveryLog.page(failing[0], failing[1], null, null, null, null, null, 10).await()
                .indefinitely().get(0);
        var attempts = deliveryLog.attempts(f.id()).await().indefinitely();
        assertEquals(attempts.size(), hits("/nul500"), "each attempt made once: none repeated for want of a log row");
        for (var attempt : attempts) {
            assertEquals("err\uFFFD\uFFFD", attempt.response());
        }
        event(other[0], "n3", "patients.updated", "p-3");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> hits("/other") == 1);
    }

    @Test
    void aReceiverStreamingAHugeAnswerCostsOnlyTheCap() throws Exception {
        String[] t = tenant("/huge");
        event(t[0], "h1", "patients.updated", "p-1");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(t[1], "delivered").await().indefinitely() == 1);
        DeliveryRow d = deliveryLog.page(t[0], t[1], null, null, null, null, null, 10).await().indefinitely().get(0);
        String stored = deliveryLog.attempts(d.id()).await().indefinitely().get(0).response();
        assertEquals(4096, stored.length(), "the stored excerpt is the cap");
        // the dispatcher hung up after the cap: the receiver could not write anywhere near its 256 MiB
        assertTrue(HUGE_ANSWER_ENDED.await(20, TimeUnit.SECONDS), "the huge answer ended");
        assertTrue(HUGE_BYTES_WRITTEN.get() < 64L << 20, "bytes the receiver got out: " + HUGE_BYTES_WRITTEN.get());
    }

    @Test
    void aDrippingReceiverIsCutOffAtTheAttemptsDeadline() throws Exception {
        String[] t = tenant("/drip");
        long start = System.nanoTime();
        event(t[0], "d1", "patients.updated", "p-1");
        // the test deadline is 4 s (see application.properties); without a total deadline the attempt lasts 60 s
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
            List<DeliveryRow> page = deliveryLog.page(t[0], t[1], null, null, null, null, null, 10).await()
                    .indefinitely();
            return !page.isEmpty() && !deliveryLog.attempts(page.get(0).id()).await().indefinitely().isEmpty();
        });
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 12, "the first attempt ended after " + seconds + " s");
        DeliveryRow d = deliveryLog.page(t[0], t[1], null, null, null, null, null, 10).await().indefinitely().get(0);
        var attempt = deliveryLog.attempts(d.id()).await().indefinitely().get(0);
        assertNotNull(attempt.error());
        assertTrue(attempt.error().contains("total deadline"), attempt.error());
        assertTrue(attempt.latencyMs() < 6000, "latency " + attempt.latencyMs());
    }

    @Test
    void aRowPostgresRefusesIsParkedAndTheRestOfItsBatchIsWritten() throws Exception {
        Instant now = Instant.now();
        List<DeliveryRow> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // the middle one's event id is far too long for an index entry: PostgreSQL refuses that row
            String eventId = i == 1 ? randomText(20_000) : "parked-" + i;
            rows.add(new DeliveryRow(SecretGenerator.newId("dl_"), 0, "wh_parking", "env-parking", eventId, "msg_" + i,
                    "patients.updated", "p-" + i, "{}", DeliveryRow.PENDING, 0, now, now, null));
        }
        AtomicInteger written = new AtomicInteger();
        for (DeliveryRow r : rows) {
            writer.write(new LogEntry(r, DeliveryRow.DELIVERED, 1, null, 200, null, now, null),
                    written::incrementAndGet);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> written.get() == 3);
        assertNotNull(deliveryLog.find("env-parking", "wh_parking", rows.get(0).id()).await().indefinitely());
        assertNotNull(deliveryLog.find("env-parking", "wh_parking", rows.get(2).id()).await().indefinitely());
        assertEquals(null, deliveryLog.find("env-parking", "wh_parking", rows.get(1).id()).await().indefinitely());
    }

    @Test
    void aPausedWebhookGetsNoRetriesNoRedeliveriesAndNoReplaysUntilResumed() throws Exception {
        String[] t = tenant("/flaky");
        flakyStatus = 500;
        event(t[0], "f1", "patients.updated", "p-1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hits("/flaky") >= 1);
        webhookRecord(t, "/flaky", true, 2);
        assertTrue(DispatcherViews.awaitWebhook(t[1], 2).paused());
        // the retry comes due while paused and is held instead of sent. A retry the engine had already claimed and
        // checked before this replica's view saw the pause may still go out (a pause recalls nothing in flight), so
        // the count is taken once the delivery is held: an attempt is recorded before its delivery can be held
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.count(t[1], "held").await().indefinitely() == 1);
        int before = hits("/flaky");
        assertEquals(1, store.count(t[1], "held").await().indefinitely(), "still held, not retried");
        assertEquals(before, hits("/flaky"), "no retry went to the paused webhook");

        // resumed: the held retry goes out and is delivered
        flakyStatus = 200;
        webhookRecord(t, "/flaky", false, 3);
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> store.count(t[1], "delivered").await().indefinitely() == 1);

        // paused again: a redelivery waits too
        webhookRecord(t, "/flaky", true, 4);
        assertTrue(DispatcherViews.awaitWebhook(t[1], 4).paused());
        int beforeRedeliver = hits("/flaky");
        DeliveryRow d = deliveryLog.page(t[0], t[1], null, null, null, null, null, 10).await().indefinitely().get(0);
        assertTrue(store.redeliver(d.id()).await().indefinitely());
        // the redelivery comes due while paused and is held instead of sent
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.count(t[1], "held").await().indefinitely() == 1);
        assertEquals(beforeRedeliver, hits("/flaky"), "nothing sent to the paused webhook");
        webhookRecord(t, "/flaky", false, 5);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(
                () -> store.count(t[1], "delivered").await().indefinitely() == 1 && hits("/flaky") > beforeRedeliver);
        assertFalse(FLAKY_AT.isEmpty());
    }
}
