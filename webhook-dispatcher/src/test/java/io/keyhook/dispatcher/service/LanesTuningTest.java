package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A webhook's own maxInFlight and rate limit in its lane (issue 31): slots, tokens, queue order, the queue's bound. */
class LanesTuningTest {

    static Lanes lanes(int maxInFlight, int rate) {
        Lanes l = LanesTest.lanes(16, 1000, 5, Duration.ofSeconds(30), Duration.ofMinutes(10));
        l.limits = new Lanes.Limits() {
            @Override
            public int maxInFlight(String webhookId) {
                return maxInFlight;
            }

            @Override
            public int ratePerSecond(String webhookId) {
                return rate;
            }

            @Override
            public Set<String> limited() {
                return Set.of("wh");
            }
        };
        return l;
    }

    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> spilled = new CopyOnWriteArrayList<>();

    Lanes.Task task(Lanes l, String name, boolean finishAtOnce) {
        return new Lanes.Task() {
            @Override
            public void start() {
                started.add(name);
                if (finishAtOnce) {
                    l.release("wh", true);
                }
            }

            @Override
            public void spill() {
                spilled.add(name);
            }
        };
    }

    @Test
    void itsMaxInFlightReplacesTheSuitesConcurrency() {
        Lanes l = lanes(2, 0);
        for (int i = 0; i < 5; i++) {
            assertTrue(l.offer("wh", task(l, "t" + i, false)));
        }
        assertEquals(List.of("t0", "t1"), started);
        assertEquals(0, l.freeSlots().get("wh"));
        l.release("wh", true);
        assertEquals(List.of("t0", "t1", "t2"), started);
    }

    @Test
    void theEngineClaimsNoMoreThanItsOwnSlotsAndTokensForAWebhookWithNoLaneYet() {
        // the claim's default is per-webhook-concurrency (16) for webhooks not listed: a limited one is listed
        assertEquals(3, lanes(3, 0).freeSlots().get("wh"));
        assertEquals(2, lanes(64, 8).freeSlots().get("wh"), "a quarter second's tokens of 8/s");
        Lanes l = lanes(64, 8);
        l.take("wh");
        l.take("wh");
        assertEquals(0, l.freeSlots().get("wh"), "the engine's own claims spend the tokens");
    }

    @Test
    void itsRateSpacesTheStartsInOfferOrder() {
        Lanes l = lanes(4, 40);
        long t0 = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            assertTrue(l.offer("wh", task(l, "t" + i, true)));
        }
        // a quarter second's tokens at once (10; a slow loop may see one more refilled), the others at 40/s: by any
        // time T at most 10 + 40 T have started, so 30 take at least half a second however busy the box is
        assertTrue(started.size() >= 10 && started.size() < 30, started.toString());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> started.size() == 30);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds >= 0.45, "20 starts at 40/s took " + seconds + " s");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add("t" + i);
        }
        assertEquals(expected, started);
        assertTrue(spilled.isEmpty());
    }

    @Test
    void aRateLimitedLaneQueuesAboutTwoSecondsAndStoresTheRest() {
        Lanes l = lanes(4, 1);
        boolean[] taken = new boolean[5];
        for (int i = 0; i < 5; i++) {
            taken[i] = l.offer("wh", task(l, "t" + i, false));
        }
        // one token: t0 starts; t1 and t2 wait for theirs; t3 and t4 go to the store (the caller spills them)
        assertEquals(List.of("t0"), started);
        assertTrue(taken[1] && taken[2]);
        assertFalse(taken[3] || taken[4]);
        // the engine may claim nothing more for it now: no token left
        assertEquals(0, l.freeSlots().get("wh"));
    }
}
