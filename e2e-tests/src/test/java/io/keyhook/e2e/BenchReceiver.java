package io.keyhook.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import com.standardwebhooks.Webhook;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The benchmarks' webhook receiver: a Vert.x HTTP server that verifies every signature with the reference Standard
 * Webhooks library (secret per path) and records, per distinct webhook-id, the publish-to-receive latency carried in
 * the body ({@code resourceId} = {@code <tag>-<n>-<publish millis>}).
 */
final class BenchReceiver implements AutoCloseable {

    final Map<String, Webhook> verifiers = new ConcurrentHashMap<>();
    /**
     * Per path, the Ed25519 public keys of a webhook that signs {@code v1a} (issue 30): its deliveries are verified
     * with these (BouncyCastle, so the receiver's own cost stays small beside the dispatcher's) instead of a secret.
     */
    final Map<String, List<Ed25519PublicKeyParameters>> v1aKeys = new ConcurrentHashMap<>();
    /** Paths that got a delivery whose v1a signature verified. */
    final Set<String> v1aVerified = ConcurrentHashMap.newKeySet();
    private final Vertx vertx;
    private final HttpServer server;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger badSignatures = new AtomicInteger();
    final AtomicLong firstArrival = new AtomicLong();
    final AtomicLong lastArrival = new AtomicLong();
    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    private volatile String tag = "none";
    /** Non-zero: every request is answered with this status (a receiver that is down). */
    volatile int failWith;
    final AtomicInteger refused = new AtomicInteger();
    /** Per path, the event numbers in the order they were first accepted. */
    final Map<String, List<Long>> accepted = new ConcurrentHashMap<>();

    /** 1: every v1a delivery's signature is verified; N: one in N (bench.v1a.verify-every). */
    volatile int verifyEvery = 1;
    private final java.util.concurrent.atomic.AtomicLong sampled = new java.util.concurrent.atomic.AtomicLong();

    BenchReceiver(Vertx vertx) throws Exception {
        this.vertx = vertx;
        server = vertx.createHttpServer(new HttpServerOptions().setAcceptBacklog(1024))
                .requestHandler(req -> req.body().onSuccess(buffer -> {
                    if (v1aKeys.containsKey(req.path())) {
                        // an Ed25519 verification costs far more than an HMAC: on the one event loop it would make
                        // this receiver, not the dispatcher, what the v1a phase measures; workers use every core
                        vertx.executeBlocking(() -> {
                            handle(req, buffer);
                            return null;
                        }, false);
                    } else {
                        handle(req, buffer);
                    }
                })).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void handle(io.vertx.core.http.HttpServerRequest req, io.vertx.core.buffer.Buffer buffer) {
        long now = System.currentTimeMillis();
        String body = buffer.toString();
        String path = req.path();
        try {
            List<Ed25519PublicKeyParameters> keys = v1aKeys.get(path);
            if (keys != null) {
                // verifyEvery > 1 checks a sample of the v1a deliveries (and every first one of a webhook), so the
                // receiver's verifications take less of the cores the dispatcher signs on
                if ((verifyEvery == 1 || !v1aVerified.contains(path) || sampled.incrementAndGet() % verifyEvery == 0)
                        && !v1a(keys, req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
                                buffer.getBytes(), req.getHeader("webhook-signature"))) {
                    throw new SecurityException("no valid v1a signature");
                }
                v1aVerified.add(path);
            } else {
                verifiers.get(path).verify(body,
                        Map.of("webhook-id", List.of(req.getHeader("webhook-id")), "webhook-timestamp",
                                List.of(req.getHeader("webhook-timestamp")), "webhook-signature",
                                List.of(req.getHeader("webhook-signature"))));
            }
        } catch (Exception e) {
            badSignatures.incrementAndGet();
        }
        int at = body.indexOf("\"resourceId\":\"" + tag + "-");
        if (failWith != 0) {
            refused.incrementAndGet();
            req.response().setStatusCode(failWith).end();
            return;
        }
        if (at >= 0) {
            if (seen.add(req.getHeader("webhook-id"))) {
                String id = body.substring(at + 14, body.indexOf('"', at + 14));
                String[] parts = id.split("-");
                if (parts.length >= 3) {
                    accepted.computeIfAbsent(path, k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(Long.parseLong(parts[parts.length - 2]));
                }
                latencies.computeIfAbsent(path, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(now - Long.parseLong(id.substring(id.lastIndexOf('-') + 1)));
                firstArrival.compareAndSet(0, now);
                lastArrival.set(now);
                received.incrementAndGet();
            } else {
                duplicates.incrementAndGet();
            }
        }
        req.response().setStatusCode(204).end();
    }

    /** Whether one of {@code header}'s v1a signatures verifies with one of {@code keys}. */
    static boolean v1a(List<Ed25519PublicKeyParameters> keys, String id, String timestamp, byte[] body, String header) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (String s : header.split(" ")) {
            if (!s.startsWith("v1a,")) {
                continue;
            }
            byte[] signature = java.util.Base64.getDecoder().decode(s.substring(4));
            for (Ed25519PublicKeyParameters k : keys) {
                Ed25519Signer verifier = new Ed25519Signer();
                verifier.init(false, k);
                verifier.update(prefix, 0, prefix.length);
                verifier.update(body, 0, body.length);
                if (verifier.verifySignature(signature)) {
                    return true;
                }
            }
        }
        return false;
    }

    int port() {
        return server.actualPort();
    }

    /** Starts counting events tagged {@code tag} afresh. */
    void measure(String tag) {
        this.tag = tag;
        seen.clear();
        latencies.clear();
        accepted.clear();
        refused.set(0);
        received.set(0);
        duplicates.set(0);
        badSignatures.set(0);
        firstArrival.set(0);
        lastArrival.set(0);
    }

    /** Latencies of the paths {@code include} accepts, sorted. */
    List<Long> latencies(java.util.function.Predicate<String> include) {
        List<Long> out = new ArrayList<>();
        latencies.forEach((path, l) -> {
            if (include.test(path)) {
                synchronized (l) {
                    out.addAll(l);
                }
            }
        });
        Collections.sort(out);
        return out;
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
    }

    @Override
    public void close() {
        server.close();
    }

    Vertx vertx() {
        return vertx;
    }
}
