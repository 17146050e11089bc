package io.keyhook.dispatcher.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP exchange with a receiver, bounded in time and in memory, whatever the receiver does. The answer is streamed:
 * at most {@code maxBytes} of its body are kept, and once that many arrived the connection is closed instead of reading
 * on (a receiver streaming hundreds of MiB costs us {@code maxBytes}). The whole exchange — connecting, sending, the
 * answer's headers and body — must finish within the deadline; a receiver that drips a byte every few seconds is cut
 * off there, since an idle timeout alone would never fire.
 */
public final class BoundedExchange {

    /** The receiver's answer: status, the header we read, and the first bytes of its body. */
    public record Answer(int status, String retryAfter, byte[] body, int length, boolean truncated) {
    }

    private BoundedExchange() {
    }

    /**
     * POSTs {@code body}; emits the answer, or fails (connection refused, deadline passed, and — when
     * {@code refuseLonger} — an answer longer than {@code maxBytes}).
     */
    public static Uni<Answer> post(Vertx vertx, HttpClient client, RequestOptions options, Map<String, String> headers,
            Buffer body, int maxBytes, boolean refuseLonger, Duration deadline) {
        return Uni.createFrom().emitter(
                em -> new Exchange(em, maxBytes, refuseLonger).start(vertx, client, options, headers, body, deadline));
    }

    private static final class Exchange {
        private final UniEmitter<? super Answer> em;
        private final int maxBytes;
        private final boolean refuseLonger;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        private byte[] kept;
        private int length;
        private Vertx vertx;
        private long timer = -1;

        Exchange(UniEmitter<? super Answer> em, int maxBytes, boolean refuseLonger) {
            this.em = em;
            this.maxBytes = Math.max(0, maxBytes);
            this.refuseLonger = refuseLonger;
        }

        void start(Vertx vertx, HttpClient client, RequestOptions options, Map<String, String> headers, Buffer body,
                Duration deadline) {
            this.vertx = vertx;
            timer = vertx.setTimer(Math.max(1, deadline.toMillis()), id -> fail(new TimeoutException(
                    "no complete answer within " + deadline.toMillis() + " ms (the attempt's total deadline)")));
            em.onTermination(this::cancelTimer);
            client.request(options).onComplete(ar -> {
                if (ar.failed()) {
                    fail(ar.cause());
                    return;
                }
                HttpClientRequest req = ar.result();
                request.set(req);
                if (finished.get()) {
                    req.reset();
                    return;
                }
                headers.forEach(req::putHeader);
                req.send(body).onComplete(rr -> {
                    if (rr.failed()) {
                        fail(rr.cause());
                    } else {
                        read(rr.result());
                    }
                });
            });
        }

        private void read(HttpClientResponse response) {
            kept = new byte[Math.min(maxBytes, 8192)];
            response.exceptionHandler(this::fail);
            response.handler(chunk -> {
                if (finished.get()) {
                    return;
                }
                int room = maxBytes - length;
                if (chunk.length() > room) {
                    append(chunk, room);
                    if (refuseLonger) {
                        fail(new IllegalStateException("the answer is longer than " + maxBytes + " bytes"));
                    } else {
                        succeed(response, true);
                    }
                    return;
                }
                append(chunk, chunk.length());
            });
            response.endHandler(v -> succeed(response, false));
        }

        private void append(Buffer chunk, int n) {
            if (n <= 0) {
                return;
            }
            if (length + n > kept.length) {
                kept = Arrays.copyOf(kept, Math.min(maxBytes, Math.max(length + n, kept.length * 2)));
            }
            chunk.getBytes(0, n, kept, length);
            length += n;
        }

        private void succeed(HttpClientResponse response, boolean truncated) {
            if (finished.compareAndSet(false, true)) {
                if (truncated) {
                    // stop reading: for HTTP/1.x a reset closes the connection, so the rest is never read
                    reset();
                }
                em.complete(
                        new Answer(response.statusCode(), response.getHeader("retry-after"), kept, length, truncated));
            }
        }

        private void fail(Throwable e) {
            if (finished.compareAndSet(false, true)) {
                reset();
                em.fail(e);
            }
        }

        private void reset() {
            HttpClientRequest req = request.get();
            if (req != null) {
                req.reset();
            }
        }

        private void cancelTimer() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
