package io.keyhook.token.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The fixed-window counter behind every token-service limit, on a clock the test controls. */
class AttemptLimiterTest {

    static final long MIN = 60_000;

    @Test
    void theEventThatReachesTheLimitStartsTheBlockAndSaysSoOnce() {
        AttemptLimiter l = new AttemptLimiter(3, 5 * MIN, 5 * MIN, 1000);
        assertFalse(l.record("k", 0));
        assertFalse(l.record("k", 1000));
        assertEquals(0, l.blockedFor("k", 1000));
        assertTrue(l.record("k", 2000), "the third failure reaches the limit");
        assertEquals(300, l.blockedFor("k", 2000));
        assertFalse(l.record("k", 3000), "later failures do not signal again");
        assertEquals(0, l.blockedFor("other", 3000), "keys are independent");
        assertEquals(0, l.blockedFor("k", 3000 + 5 * MIN), "the block ends");
    }

    @Test
    void aNewWindowStartsTheCountAgain() {
        AttemptLimiter l = new AttemptLimiter(3, MIN, MIN, 1000);
        l.record("k", 0);
        l.record("k", 1);
        assertFalse(l.record("k", MIN), "the window of the first two is over");
        assertFalse(l.record("k", MIN + 1));
        assertTrue(l.record("k", MIN + 2));
    }

    /** Issue 28, point 7: on main the failure at 5 minutes started a fresh window with no block. */
    @Test
    void aFailureAfterTheWindowDoesNotLiftARunningBlock() {
        AttemptLimiter l = new AttemptLimiter(2, 5 * MIN, 15 * MIN, 1000);
        l.record("k", 0);
        assertTrue(l.record("k", MIN), "blocked until 16 min");
        assertFalse(l.record("k", 5 * MIN), "a new window, counting again");
        assertEquals(11 * 60, l.blockedFor("k", 5 * MIN), "the block runs on to its end");
        assertEquals(0, l.blockedFor("k", 16 * MIN));
    }

    @Test
    void acquireTakesUpToTheLimitThenBlocks() {
        AttemptLimiter l = new AttemptLimiter(2, MIN, 2 * MIN, 1000);
        assertEquals(0, l.acquire("k", 0));
        assertEquals(0, l.acquire("k", 1));
        assertEquals(120, l.acquire("k", 2), "over the limit: retry after the block");
        assertEquals(120, l.acquire("k", 500), "still blocked (rounded up)");
        assertEquals(0, l.acquire("k", 2 + 2 * MIN), "the block is over");
    }

    @Test
    void aFloodOfMadeUpKeysNeverFreesABlockedOne() {
        AttemptLimiter l = new AttemptLimiter(2, MIN, 10 * MIN, 100);
        l.record("victim", 0);
        l.record("victim", 1);
        for (int i = 0; i < 10_000; i++) {
            l.record("made-up-" + i, 2);
        }
        assertTrue(l.size() <= 101, "memory stays bounded: " + l.size());
        assertTrue(l.blockedFor("victim", 3) > 0, "the blocked key is kept");
    }

    @Test
    void concurrentFailuresAreCountedExactly() throws Exception {
        int threads = 8;
        int each = 500;
        AttemptLimiter l = new AttemptLimiter(threads * each, MIN, MIN, 1000);
        AtomicInteger reached = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int i = 0; i < each; i++) {
                    if (l.record("k", 10)) {
                        reached.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        assertEquals(1, reached.get(), "exactly the last of 4000 racing failures reaches the limit");
        assertTrue(l.blockedFor("k", 11) > 0);
    }
}
