package io.keyhook.dispatcher.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;

import io.keyhook.testing.StubHttpServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One exchange is bounded in memory and in time whatever the peer does, against real HTTP servers that misbehave: an
 * endless answer is cut at the byte cap and its connection closed (the peer's writes fail), or refused when asked; a
 * peer that never answers, or drips a byte at a time so that no idle timeout fires, is cut at the deadline. Plain
 * Vert.x, no Quarkus.
 */
class BoundedExchangeTest {

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(60));
    /** Released when the test ends: stubs that would otherwise stream or wait forever stop. */
    private final CountDownLatch done = new CountDownLatch(1);

    @AfterEach
    void close() {
        done.countDown();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private Uni<BoundedExchange.Answer> post(StubHttpServer server, int maxBytes, boolean refuseLonger,
            Duration deadline) {
        URI uri = URI.create(server.url());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI("/hook");
        return BoundedExchange.post(vertx, client, options, Map.of("content-type", "application/json"),
                Buffer.buffer("{\"a\":1}"), maxBytes, refuseLonger, deadline);
    }

    private static Throwable failureOf(Uni<BoundedExchange.Answer> exchange) {
        return exchange.map(answer -> (Throwable) null).onFailure().recoverWithItem(e -> e).await()
                .atMost(Duration.ofSeconds(30));
    }

    @Test
    void aShortAnswerIsReadWholeWithItsStatusAndRetryAfter() {
        StubHttpServer server = new StubHttpServer(ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Retry-After", "120");
            byte[] body = "slow down".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(429, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        BoundedExchange.Answer a = post(server, 4096, false, Duration.ofSeconds(10)).await()
                .atMost(Duration.ofSeconds(30));
        assertEquals(429, a.status());
        assertEquals("120", a.retryAfter());
        assertEquals("slow down", new String(a.body(), 0, a.length(), StandardCharsets.UTF_8));
        assertFalse(a.truncated());
    }

    @Test
    void anEndlessAnswerIsCutAtTheCapAndItsConnectionClosed() {
        AtomicLong written = new AtomicLong();
        AtomicBoolean peerCutOff = new AtomicBoolean();
        StubHttpServer server = new StubHttpServer(ex -> streamForever(ex, written, peerCutOff));
        // a deadline far away: the answer must come from the cap, not from the deadline
        BoundedExchange.Answer a = post(server, 1000, false, Duration.ofSeconds(60)).await()
                .atMost(Duration.ofSeconds(30));
        assertEquals(200, a.status());
        assertTrue(a.truncated());
        assertEquals(1000, a.length(), "exactly the cap is kept");
        byte[] expected = new byte[1000];
        Arrays.fill(expected, (byte) 'x');
        assertArrayEquals(expected, Arrays.copyOf(a.body(), a.length()));
        assertTrue(a.body().length <= 1000, "no buffer beyond the cap: " + a.body().length);
        // the rest is never read: the connection is closed, so the peer's next writes fail long before the deadline
        await().atMost(Duration.ofSeconds(20)).untilTrue(peerCutOff);
    }

    @Test
    void anAnswerLongerThanTheCapIsRefusedWhenAsked() {
        AtomicBoolean peerCutOff = new AtomicBoolean();
        StubHttpServer server = new StubHttpServer(ex -> streamForever(ex, new AtomicLong(), peerCutOff));
        Throwable e = failureOf(post(server, 1000, true, Duration.ofSeconds(60)));
        assertInstanceOf(IllegalStateException.class, e);
        assertEquals("the answer is longer than 1000 bytes", e.getMessage());
        await().atMost(Duration.ofSeconds(20)).untilTrue(peerCutOff);
    }

    @Test
    void aPeerThatNeverAnswersIsCutAtTheDeadline() {
        StubHttpServer server = new StubHttpServer(ex -> {
            ex.getRequestBody().readAllBytes();
            awaitEnd();
        });
        long t0 = System.nanoTime();
        Throwable e = failureOf(post(server, 4096, false, Duration.ofMillis(500)));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertInstanceOf(TimeoutException.class, e);
        assertEquals("no complete answer within 500 ms (the attempt's total deadline)", e.getMessage());
        assertTrue(tookMs >= 500, "not before the deadline: " + tookMs + " ms");
        assertTrue(tookMs < 10_000, "cut at the deadline, not later: " + tookMs + " ms");
    }

    @Test
    void aPeerDrippingItsAnswerIsCutAtTheDeadlineThoughBytesKeepComing() {
        AtomicLong written = new AtomicLong();
        StubHttpServer server = new StubHttpServer(ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                // a byte every 50 ms: never idle long enough for an idle timeout, never done
                while (!awaitEnd(50)) {
                    out.write('x');
                    out.flush();
                    written.incrementAndGet();
                }
            } catch (IOException cutOff) {
                // the exchange closed the connection
            }
        });
        long t0 = System.nanoTime();
        Throwable e = failureOf(post(server, 4096, false, Duration.ofMillis(800)));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertInstanceOf(TimeoutException.class, e);
        assertTrue(written.get() > 0, "the peer was sending");
        assertTrue(tookMs >= 800 && tookMs < 10_000, "cut at the deadline: " + tookMs + " ms");
    }

    /** Answers 200 and writes 'x' in 64 KiB chunks until the connection is closed under it. */
    private void streamForever(HttpExchange ex, AtomicLong written, AtomicBoolean cutOff) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = ex.getResponseBody()) {
            while (done.getCount() > 0) {
                out.write(chunk);
                out.flush();
                written.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            cutOff.set(true);
        }
    }

    private void awaitEnd() {
        awaitEnd(60_000);
    }

    /** Waits up to {@code millis} for the test to end; whether it has. */
    private boolean awaitEnd(long millis) {
        try {
            return done.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
