package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.dispatcher.config.DispatcherConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Per-webhook slots, a bounded queue and a breaker: a bad receiver only ever holds up itself. */
class LanesTest {

    /** What happened to each task: "started" or "spilled". */
    final List<String> events = new ArrayList<>();

    /** What the breaker log was told, in order. */
    static final List<String> TRANSITIONS = new ArrayList<>();

    Lanes.Task task(String name) {
        return new Lanes.Task() {
            @Override
            public void start() {
                events.add(name + " started");
            }

            @Override
            public void spill() {
                events.add(name + " spilled");
            }
        };
    }

    static Lanes lanes(int concurrency, int queue, int failures, Duration openFor, Duration maxOpenFor) {
        Lanes l = new Lanes();
        l.config = config(Map.of("perWebhookConcurrency", concurrency, "queuePerWebhook", queue, "failures", failures,
                "openFor", openFor, "maxOpenFor", maxOpenFor));
        l.registry = new SimpleMeterRegistry();
        TRANSITIONS.clear();
        l.breakers = new Lanes.BreakerLog() {
            @Override
            public void opened(String webhookId, Instant openedAt, Instant openUntil) {
                TRANSITIONS.add(webhookId + " opened for " + Duration.between(openedAt, openUntil).toMillis() + " ms");
            }

            @Override
            public void succeeded(String webhookId) {
                TRANSITIONS.add(webhookId + " succeeded");
            }
        };
        return l;
    }

    /** A DispatcherConfig answering the named methods (on any nested group) from the map. */
    static DispatcherConfig config(Map<String, Object> values) {
        return (DispatcherConfig) proxy(DispatcherConfig.class, values);
    }

    static Object proxy(Class<?> type, Map<String, Object> values) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (p, m, args) -> {
            if (values.containsKey(m.getName())) {
                return values.get(m.getName());
            }
            if (m.getReturnType().isInterface()) {
                return proxy(m.getReturnType(), values);
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    @Test
    void slotsThenABoundedQueueThenSpill() {
        Lanes l = lanes(2, 1, 5, Duration.ofMinutes(1), Duration.ofMinutes(5));
        assertTrue(l.offer("w", task("a")));
        assertTrue(l.offer("w", task("b")));
        assertTrue(l.offer("w", task("c")), "queued");
        assertFalse(l.offer("w", task("d")), "queue full: the caller stores it");
        assertEquals(List.of("a started", "b started"), events);
        assertEquals(List.of("w"), l.unavailable(), "no free slot: the engine claims nothing for it");
        l.release("w", true);
        assertEquals(List.of("a started", "b started", "c started"), events, "the queued one takes the slot");
    }

    @Test
    void theBreakerOpensOnOneWebhookAndSpillsItsQueueWhileOthersFlow() {
        Lanes l = lanes(1, 5, 3, Duration.ofMinutes(1), Duration.ofMinutes(5));
        l.offer("bad", task("b1"));
        l.offer("bad", task("b2"));
        l.offer("bad", task("b3"));
        l.release("bad", false); // b2 starts
        l.release("bad", false); // b3 starts
        assertFalse(l.isOpen("bad"));
        l.offer("bad", task("b4"));
        l.release("bad", false); // the third failure in a row
        assertTrue(l.isOpen("bad"));
        assertTrue(events.contains("b4 spilled"), "queued work is stored, not held: " + events);
        assertFalse(l.offer("bad", task("b5")), "nothing is attempted while open");
        assertTrue(l.unavailable().contains("bad"));

        assertTrue(l.offer("good", task("g1")), "another webhook is untouched");
        assertTrue(events.contains("g1 started"));
        assertFalse(l.isOpen("good"));
    }

    @Test
    void successResetsTheCountAndAFreedSlotTeachesNothing() {
        Lanes l = lanes(1, 5, 2, Duration.ofMinutes(1), Duration.ofMinutes(5));
        l.offer("w", task("a"));
        l.release("w", false);
        l.offer("w", task("b"));
        l.release("w", true);
        l.offer("w", task("c"));
        l.release("w", false);
        assertFalse(l.isOpen("w"), "one failure after a success");
        l.offer("w", task("d"));
        l.free("w"); // paused webhook: no attempt was made
        assertFalse(l.isOpen("w"));
        l.offer("w", task("e"));
        l.release("w", false);
        assertTrue(l.isOpen("w"), "two failed attempts in a row");
    }

    @Test
    void aFailedTrialReopensForTwiceAsLong() throws Exception {
        Lanes l = lanes(1, 5, 2, Duration.ofMillis(300), Duration.ofSeconds(5));
        l.offer("w", task("a"));
        l.release("w", false);
        l.offer("w", task("b"));
        l.release("w", false);
        assertTrue(l.isOpen("w"));
        Awaitility.await("closed after 300 ms").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> !l.isOpen("w"));
        assertTrue(l.offer("w", task("trial")));
        long reopened = System.nanoTime();
        l.release("w", false); // the trial fails: one failure re-opens it
        assertTrue(l.isOpen("w"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> !l.isOpen("w"));
        // 600 ms this time, not 300 (a margin below 600 for the clocks' granularity)
        assertTrue(System.nanoTime() - reopened >= Duration.ofMillis(500).toNanos(), "open for 600 ms this time");
        assertEquals(List.of("w opened for 300 ms", "w opened for 600 ms"), TRANSITIONS,
                "each opening is reported with its end, for the API");
    }

    @Test
    void everySuccessIsReportedSoTheBreakerShowsClosedAndFreedSlotsAreNot() {
        Lanes l = lanes(1, 5, 2, Duration.ofMinutes(1), Duration.ofMinutes(5));
        l.offer("w", task("a"));
        l.release("w", true);
        l.offer("w", task("b"));
        l.free("w");
        l.offer("w", task("c"));
        l.release("w", false);
        assertEquals(List.of("w succeeded"), TRANSITIONS);
    }
}
