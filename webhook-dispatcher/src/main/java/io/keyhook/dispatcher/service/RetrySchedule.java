package io.keyhook.dispatcher.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a delivery's next attempt happens. Attempt {@code n} (1-based) waits {@code delays[n-1]} after the previous
 * failure, give or take {@code jitter} (a fraction, so retries of many deliveries that failed together spread out); a
 * {@code Retry-After} from the receiver (429/503) is honoured when it asks for longer. When the delays run out the
 * delivery is {@code failed} and kept for redelivery. Default: 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
 */
public final class RetrySchedule {

    public static final List<Duration> DEFAULT = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
            Duration.ofHours(10));

    private final List<Duration> delays;
    private final double jitter;

    public RetrySchedule(List<Duration> delays, double jitter) {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("the schedule needs at least one attempt");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter is a fraction in [0, 1)");
        }
        this.delays = List.copyOf(delays);
        this.jitter = jitter;
    }

    /** How many attempts a delivery gets in all. */
    public int attempts() {
        return delays.size();
    }

    /**
     * When attempt {@code attempt + 1} should run after attempt {@code attempt} failed at {@code failedAt}, or null
     * when that was the last one.
     */
    public Instant next(int attempt, Instant failedAt, Duration retryAfter) {
        if (attempt >= delays.size()) {
            return null;
        }
        long base = delays.get(attempt).toMillis();
        long spread = (long) (base * jitter);
        long wait = spread == 0 ? base : base - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1);
        if (retryAfter != null && retryAfter.toMillis() > wait) {
            wait = retryAfter.toMillis();
        }
        return failedAt.plusMillis(wait);
    }

    /** Parses {@code 0,5s,5m,30m,2h} (ms, s, m, h, d suffixes; a bare number is seconds). */
    public static List<Duration> parse(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(RetrySchedule::duration)
                .toList();
    }

    private static Duration duration(String s) {
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.replaceAll("[smhd]$", ""));
            return switch (s.charAt(s.length() - 1)) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: " + s);
        }
    }
}
