package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.dispatcher.client.BoundedExchange;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore.Outcome;

/** What an answer means for its delivery, without Quarkus: a schedule of three attempts, 1 s apart, no jitter. */
class AttemptOutcomesTest {

    private final AttemptOutcomes outcomes = new AttemptOutcomes(
            new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)), 0), 16);

    private static BoundedExchange.Answer answer(int status, String retryAfter, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new BoundedExchange.Answer(status, retryAfter, bytes, bytes.length, false);
    }

    @Test
    void a2xxIsDeliveredWithItsAnswer() {
        Outcome o = outcomes.answered(1, answer(204, null, "ok"), 12);
        assertEquals(DeliveryRow.DELIVERED, o.status());
        assertEquals(204, o.statusCode());
        assertEquals("ok", o.response());
        assertEquals(12, o.latencyMs());
        assertNull(o.nextAttemptAt());
        assertNull(o.error());
    }

    @Test
    void a410FailsForGoodWhateverAttemptsAreLeft() {
        Outcome o = outcomes.answered(1, answer(410, null, ""), 5);
        assertEquals(DeliveryRow.FAILED, o.status());
        assertEquals("gone: the receiver asked to stop", o.error());
        assertNull(o.nextAttemptAt());
        assertNull(o.response(), "an empty answer is stored as none");
    }

    @Test
    void otherStatusesAreRetriedUntilTheScheduleRunsOut() {
        Instant before = Instant.now();
        Outcome first = outcomes.answered(1, answer(500, null, "boom"), 5);
        assertEquals(DeliveryRow.PENDING, first.status());
        assertEquals("HTTP 500", first.error());
        assertFalse(first.nextAttemptAt().isBefore(before.plusSeconds(1)), "the schedule's next delay");
        Outcome last = outcomes.answered(3, answer(500, null, "boom"), 5);
        assertEquals(DeliveryRow.FAILED, last.status());
        assertNull(last.nextAttemptAt());
    }

    @Test
    void aRetryAfterOf429Or503IsHonouredUpToADayButNotForOtherStatuses() {
        Instant before = Instant.now();
        assertFalse(outcomes.answered(1, answer(429, "120", ""), 1).nextAttemptAt().isBefore(before.plusSeconds(120)));
        Instant capped = outcomes.answered(1, answer(503, "99999999", ""), 1).nextAttemptAt();
        assertTrue(!capped.isBefore(before.plusSeconds(86_400)) && capped.isBefore(Instant.now().plusSeconds(86_401)),
                "at most a day: " + capped);
        assertTrue(outcomes.answered(1, answer(500, "120", ""), 1).nextAttemptAt().isBefore(before.plusSeconds(60)),
                "a 500's Retry-After is not a request to wait");
        assertTrue(outcomes.answered(1, answer(429, "soon", ""), 1).nextAttemptAt().isBefore(before.plusSeconds(60)),
                "an unreadable Retry-After is ignored");
    }

    @Test
    void theAnswerIsStoredSanitisedAndCapped() {
        Outcome o = outcomes.answered(1, answer(500, null, "a\u0000b"), 1);
        assertEquals("a\uFFFDb", o.response(), "no NUL reaches PostgreSQL");
        Outcome capped = outcomes.answered(1, answer(200, null, "0123456789abcdefXYZ"), 1);
        assertEquals("0123456789abcdef", capped.response(), "at most max-response-bytes");
    }

    @Test
    void noAnswerIsRetriedWithItsReasonSanitised() {
        Outcome o = outcomes.unanswered(1, new IllegalStateException("refused\u0000here"), 7);
        assertEquals(DeliveryRow.PENDING, o.status());
        assertNull(o.statusCode());
        assertEquals("refused\uFFFDhere", o.error());
        assertEquals("NullPointerException", outcomes.unanswered(1, new NullPointerException(), 7).error(),
                "a reason without message is named");
        assertEquals(DeliveryRow.FAILED, outcomes.unanswered(3, new IllegalStateException("x"), 7).status());
    }

    @Test
    void aDeletedWebhookFailsAtOnce() {
        Outcome o = AttemptOutcomes.webhookDeleted();
        assertEquals(DeliveryRow.FAILED, o.status());
        assertEquals("webhook deleted", o.error());
    }
}
