package io.keyhook.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BackgroundLoopTest {

    @Test
    void aRoundThatThrowsDoesNotEndTheSchedule() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        var loop = BackgroundLoop.start("test-loop", Duration.ZERO, Duration.ofMillis(5), () -> {
            rounds.incrementAndGet();
            third.countDown();
            throw new IllegalStateException("a round failed (e.g. the broker was unreachable)");
        });
        try {
            assertTrue(third.await(10, TimeUnit.SECONDS),
                    "the loop stopped after a failed round; rounds run: " + rounds.get());
        } finally {
            loop.close();
        }
    }

    @Test
    void anExtraRoundThatThrowsDoesNotStopTheLoop() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch later = new CountDownLatch(3);
        try (var loop = BackgroundLoop.start("test-loop-extra", Duration.ofHours(1), Duration.ofHours(1), () -> {
            rounds.incrementAndGet();
            later.countDown();
            throw new IllegalStateException("failed");
        })) {
            for (int i = 0; i < 3; i++) {
                int before = rounds.get();
                loop.runSoon();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (rounds.get() == before && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            assertTrue(later.await(10, TimeUnit.SECONDS), "extra rounds run after a failed one: " + rounds.get());
        }
    }
}
