package io.keyhook.token.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One GET of a third party's URL, bounded in time and memory whatever the peer does (the dispatcher's BoundedExchange,
 * for a GET): the body is streamed and the connection reset once more than {@code maxBytes} arrived, and the whole
 * exchange must end within the deadline, so a peer that drips a byte every few seconds is cut off too.
 */
final class BoundedGet {

    /** The peer's answer: status, its {@code Cache-Control}, and its body. */
    record Answer(int status, String cacheControl, byte[] body) {
    }

    private BoundedGet() {
    }

    /** Emits the answer, or fails (refused connection, deadline passed, an answer longer than {@code maxBytes}). */
    static Uni<Answer> get(Vertx vertx, HttpClient client, RequestOptions options, int maxBytes, Duration deadline) {
        return Uni.createFrom().emitter(em -> new Exchange(em, maxBytes).start(vertx, client, options, deadline));
    }

    private static final class Exchange {
        private final UniEmitter<? super Answer> em;
        private final int maxBytes;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        private byte[] kept = new byte[0];
        private int length;
        private Vertx vertx;
        private long timer = -1;

        Exchange(UniEmitter<? super Answer> em, int maxBytes) {
            this.em = em;
            this.maxBytes = Math.max(0, maxBytes);
        }

        void start(Vertx vertx, HttpClient client, RequestOptions options, Duration deadline) {
            this.vertx = vertx;
            timer = vertx.setTimer(Math.max(1, deadline.toMillis()),
                    id -> fail(new TimeoutException("no complete answer within " + deadline.toMillis() + " ms")));
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
                req.putHeader("Accept", "application/jwk-set+json, application/json");
                req.send().onComplete(rr -> {
                    if (rr.failed()) {
                        fail(rr.cause());
                    } else {
                        read(rr.result());
                    }
                });
            });
        }

        private void read(HttpClientResponse response) {
            response.exceptionHandler(this::fail);
            response.handler(chunk -> {
                if (finished.get()) {
                    return;
                }
                if (chunk.length() > maxBytes - length) {
                    fail(new IllegalStateException("the answer is longer than " + maxBytes + " bytes"));
                    return;
                }
                if (length + chunk.length() > kept.length) {
                    kept = Arrays.copyOf(kept, Math.min(maxBytes, Math.max(length + chunk.length(), kept.length * 2)));
                }
                chunk.getBytes(0, chunk.length(), kept, length);
                length += chunk.length();
            });
            response.endHandler(v -> {
                if (finished.compareAndSet(false, true)) {
                    em.complete(new Answer(response.statusCode(), response.getHeader("cache-control"),
                            Arrays.copyOf(kept, length)));
                }
            });
        }

        private void fail(Throwable e) {
            if (finished.compareAndSet(false, true)) {
                HttpClientRequest req = request.get();
                if (req != null) {
                    // for HTTP/1.x a reset closes the connection, so the rest is never read
                    req.reset();
                }
                em.fail(e);
            }
        }

        private void cancelTimer() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
