package io.keyhook.dispatcher.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The consumer's health signal: stalled only when records wait and nothing moved for the stall timeout. */
class ProgressWatchTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final ProgressWatch watch = new ProgressWatch(clock::get, Duration.ofSeconds(60));

    private void advance(int seconds) {
        clock.addAndGet(seconds * 1_000_000_000L);
    }

    @Test
    void recordsWaitingWithNoCommitForLongerThanTheTimeoutIsAStall() {
        watch.recordsArrived();
        advance(59);
        assertFalse(watch.stalled());
        advance(2);
        assertTrue(watch.stalled());
        assertEquals(61, watch.secondsSinceProgress());
        watch.progressed();
        assertFalse(watch.stalled());
    }

    @Test
    void anIdleConsumerIsNeverStalled() {
        watch.waiting(false);
        advance(3600);
        assertFalse(watch.stalled());
        assertEquals(0, watch.secondsSinceProgress());
        // records arrive after a long quiet spell: the clock starts from the last idle check, not from the start
        watch.waiting(false);
        watch.recordsArrived();
        advance(10);
        assertFalse(watch.stalled());
    }
}
