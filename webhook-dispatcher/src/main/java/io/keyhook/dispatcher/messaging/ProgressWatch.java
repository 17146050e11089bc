package io.keyhook.dispatcher.messaging;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether the event consumer is making progress: stalled means records wait to be done and no commit position moved for
 * longer than the stall timeout. Idle (nothing waits) is never stalled. Time comes from a nano clock, so a test can
 * drive it.
 */
final class ProgressWatch {

    private final LongSupplier nanos;
    private final Duration stallTimeout;
    private volatile long lastProgress;
    private volatile boolean waiting;

    ProgressWatch(LongSupplier nanos, Duration stallTimeout) {
        this.nanos = nanos;
        this.stallTimeout = stallTimeout;
        this.lastProgress = nanos.getAsLong();
    }

    /** Records were read: they wait until done. */
    void recordsArrived() {
        waiting = true;
    }

    /** A commit position moved. */
    void progressed() {
        lastProgress = nanos.getAsLong();
    }

    /** What waits now; when nothing does, there is nothing to be late with. */
    void waiting(boolean anything) {
        waiting = anything;
        if (!anything) {
            lastProgress = nanos.getAsLong();
        }
    }

    boolean stalled() {
        return waiting && nanos.getAsLong() - lastProgress > stallTimeout.toNanos();
    }

    /** Seconds since the last progress while something waits; 0 when nothing does. */
    long secondsSinceProgress() {
        return waiting ? (nanos.getAsLong() - lastProgress) / 1_000_000_000L : 0;
    }
}
