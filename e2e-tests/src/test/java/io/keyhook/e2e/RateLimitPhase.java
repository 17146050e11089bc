package io.keyhook.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;

/**
 * bench/dispatch/run's {@code ratelimit} phase (issue 31): one webhook limited to {@code bench.rate-limit} (200)
 * attempts/s (and {@code maxInFlight} 64, so that the receiver's latency on a busy box is not what bounds the rate) is
 * fed a burst of {@code bench.rate-limit.events} (2000) events about 100 records, published as fast as the producer
 * goes; each record's events go one after the other, so 20 records would bound the rate at 20 / latency. Prints the
 * achieved rate (first to last arrival), its ratio to the limit (target within 10%), how many were lost or came twice,
 * and whether each record's events arrived in publish order. The webhook's limit is removed afterwards.
 */
final class RateLimitPhase {

    static final int LIMIT = Integer.getInteger("bench.rate-limit", 200);
    static final int EVENTS = Integer.getInteger("bench.rate-limit.events", 2000);
    static final int RECORDS = 100;

    private RateLimitPhase() {
    }

    static void run(BenchWorld world, BenchReceiver receiver, KafkaProducer<String, String> producer, String env)
            throws Exception {
        String hook = world.suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks/"
                + world.webhookOfEnv.get(env);
        world.admin().body(Map.of("rateLimitPerSecond", LIMIT, "maxInFlight", 64)).patch(hook).then().statusCode(200);
        Thread.sleep(3000); // the dispatcher's view of keyhook.webhooks takes the change
        receiver.measure("rl");
        BenchWorld.publishPaced(producer, List.of(env), EVENTS, 1_000_000, "rl", n -> "rec-" + (n % RECORDS));
        Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> receiver.received.get() >= EVENTS);
        // and a moment for a late duplicate to show
        Thread.sleep(1000);
        long millis = Math.max(1, receiver.lastArrival.get() - receiver.firstArrival.get());
        double achieved = (EVENTS - 1) * 1000.0 / millis;
        List<Long> accepted = new ArrayList<>(receiver.accepted.getOrDefault(world.pathOfEnv.get(env), List.of()));
        Map<Long, Long> lastOfRecord = new HashMap<>();
        int outOfOrder = 0;
        for (long n : accepted) {
            Long before = lastOfRecord.put(n % RECORDS, n);
            if (before != null && before > n) {
                outOfOrder++;
            }
        }
        double ratio = achieved / LIMIT;
        System.out.printf(
                "RESULT rate limit: webhook limited to %d/s (maxInFlight 64) fed a burst of %d events (%d records) -> achieved %.1f/s"
                        + " over %.1f s, ratio %.3f (target 0.90..1.10: %s); lost %d, duplicates %d; record order"
                        + " kept: %s (%d out of order); bad signatures %d%n",
                LIMIT, EVENTS, RECORDS, achieved, millis / 1000.0, ratio,
                ratio >= 0.9 && ratio <= 1.1 ? "ok" : "MISSED", EVENTS - receiver.received.get(),
                receiver.duplicates.get(), outOfOrder == 0 ? "yes" : "NO", outOfOrder, receiver.badSignatures.get());
        Map<String, Object> unlimited = new HashMap<>();
        unlimited.put("rateLimitPerSecond", null);
        unlimited.put("maxInFlight", null);
        world.admin().body(unlimited).patch(hook).then().statusCode(200);
    }
}
