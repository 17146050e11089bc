package io.keyhook.dispatcher.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.core.text.SafeText;
import io.keyhook.dispatcher.client.BoundedExchange;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore.Outcome;

/**
 * What an attempt's result means for its delivery: 2xx delivered; 410 failed for good (the receiver asked to stop);
 * anything else, or no answer at all, retried per the {@link RetrySchedule} (a {@code Retry-After} of a 429 or 503
 * honoured when it asks for longer, at most a day) until the schedule runs out, then failed. The answer is kept
 * sanitised: a receiver's NUL bytes or broken UTF-8 must not fail the statement that logs them.
 */
@ApplicationScoped
public class AttemptOutcomes {

    private final RetrySchedule schedule;
    private final int maxResponseBytes;

    @Inject
    AttemptOutcomes(DispatcherConfig config) {
        this(new RetrySchedule(RetrySchedule.parse(config.delivery().retrySchedule()), config.delivery().jitter()),
                config.delivery().maxResponseBytes());
    }

    AttemptOutcomes(RetrySchedule schedule, int maxResponseBytes) {
        this.schedule = schedule;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** Attempt {@code attempt} got answer {@code r} after {@code latencyMs}. */
    public Outcome answered(int attempt, BoundedExchange.Answer r, int latencyMs) {
        int status = r.status();
        String excerpt = r.length() == 0 ? null : SafeText.decode(r.body(), r.length(), maxResponseBytes);
        if (status / 100 == 2) {
            return new Outcome(DeliveryRow.DELIVERED, null, status, null, excerpt, latencyMs);
        }
        if (status == 410) {
            return new Outcome(DeliveryRow.FAILED, null, status, "gone: the receiver asked to stop", excerpt,
                    latencyMs);
        }
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(r.retryAfter()) : null;
        return retryOrFail(attempt, status, "HTTP " + status, excerpt, retryAfter, latencyMs);
    }

    /** Attempt {@code attempt} got no answer (not sent, refused, timed out): {@code e} says why. */
    public Outcome unanswered(int attempt, Throwable e, int latencyMs) {
        return retryOrFail(attempt, null, errorOf(e), null, null, latencyMs);
    }

    /** The webhook is gone: nothing to attempt, ever. */
    public static Outcome webhookDeleted() {
        return new Outcome(DeliveryRow.FAILED, null, null, "webhook deleted", null, 0);
    }

    private Outcome retryOrFail(int attempt, Integer status, String error, String excerpt, Duration retryAfter,
            int latencyMs) {
        Instant next = schedule.next(attempt, Instant.now(), retryAfter);
        return new Outcome(next == null ? DeliveryRow.FAILED : DeliveryRow.PENDING, next, status, error, excerpt,
                latencyMs);
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.min(86_400, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String errorOf(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return SafeText.sanitize(m, 500);
    }
}
