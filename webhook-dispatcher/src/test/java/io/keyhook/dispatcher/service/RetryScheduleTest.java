package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void theDefaultScheduleIsTheDocumentedOne() {
        assertEquals(RetrySchedule.DEFAULT, RetrySchedule.parse("0, 5s, 5m, 30m, 2h, 5h, 10h, 10h"));
        RetrySchedule s = new RetrySchedule(RetrySchedule.DEFAULT, 0);
        assertEquals(8, s.attempts());
        assertEquals(T.plusSeconds(5), s.next(1, T, null));
        assertEquals(T.plus(Duration.ofHours(10)), s.next(7, T, null));
        assertNull(s.next(8, T, null), "after the 8th attempt the delivery is failed");
    }

    @Test
    void jitterSpreadsRetriesWithinItsFraction() {
        RetrySchedule s = new RetrySchedule(RetrySchedule.DEFAULT, 0.2);
        for (int i = 0; i < 200; i++) {
            long ms = Duration.between(T, s.next(2, T, null)).toMillis();
            assertTrue(ms >= 240_000 && ms <= 360_000, ms + " ms");
        }
    }

    @Test
    void retryAfterIsHonouredWhenLonger() {
        RetrySchedule s = new RetrySchedule(RetrySchedule.DEFAULT, 0);
        assertEquals(T.plusSeconds(120), s.next(1, T, Duration.ofSeconds(120)));
        assertEquals(T.plus(Duration.ofMinutes(5)), s.next(2, T, Duration.ofSeconds(1)));
    }

    @Test
    void badSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.parse("5x"));
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(java.util.List.of(), 0));
        assertEquals(Duration.ofMillis(250), RetrySchedule.parse("250ms").get(0));
    }
}
