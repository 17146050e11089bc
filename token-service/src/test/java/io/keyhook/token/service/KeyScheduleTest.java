package io.keyhook.token.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.token.persistence.SigningKeyRow;

/** The scheduled rotation rules, on a clock the test controls (30-day keys, published 1 h ahead, tokens 930 s). */
class KeyScheduleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LIFETIME = Duration.ofSeconds(930);
    private final KeySchedule schedule = new KeySchedule(Duration.ofDays(30), Duration.ofHours(1), LIFETIME);

    private static SigningKeyRow key(String kid, Instant activateAt, Instant retireAt) {
        return new SigningKeyRow(kid, "EdDSA", "x", "ct", activateAt, activateAt, retireAt,
                retireAt == null ? null : retireAt.plus(LIFETIME));
    }

    @Test
    void theFirstKeySignsAtOnce() {
        KeySchedule.Plan plan = schedule.plan(List.of(), T0, null);
        assertEquals(T0, plan.newKeySignsFrom());
        assertTrue(plan.retirements().isEmpty());
    }

    @Test
    void whenTheSignerWasRevokedElsewhereAndOnlyRetiredKeysRemainANewKeySignsAtOnce() {
        // another replica revoked the signer; the newest key left is one that retired earlier
        Instant now = T0.plus(Duration.ofDays(3));
        KeySchedule.Plan plan = schedule.plan(List.of(key("a", T0, T0.plus(Duration.ofDays(1)))), now, null);
        assertEquals(now, plan.newKeySignsFrom());
    }

    @Test
    void nothingHappensBeforeTheKeyIsDue() {
        KeySchedule.Plan plan = schedule.plan(List.of(key("a", T0, null)), T0.plus(Duration.ofDays(29)), null);
        assertNull(plan.newKeySignsFrom());
        assertTrue(plan.retirements().isEmpty());
    }

    @Test
    void aDueKeyIsReplacedByOnePublishedAnHourAhead() {
        Instant now = T0.plus(Duration.ofDays(30)).minus(Duration.ofHours(1));
        KeySchedule.Plan plan = schedule.plan(List.of(key("a", T0, null)), now, null);
        assertEquals(now.plus(Duration.ofHours(1)), plan.newKeySignsFrom());
        assertTrue(plan.retirements().isEmpty(), "the old key signs until the new one takes over");
    }

    @Test
    void whileTheNewKeyIsPublishedAheadNothingElseChanges() {
        Instant takeover = T0.plus(Duration.ofDays(30));
        KeySchedule.Plan plan = schedule.plan(List.of(key("b", takeover, null), key("a", T0, null)),
                takeover.minus(Duration.ofMinutes(30)), null);
        assertNull(plan.newKeySignsFrom());
        assertTrue(plan.retirements().isEmpty());
    }

    @Test
    void onceTheNewKeySignsTheOldOneRetiresAndStaysPublishedForItsTokens() {
        Instant takeover = T0.plus(Duration.ofDays(30));
        KeySchedule.Plan plan = schedule.plan(List.of(key("b", takeover, null), key("a", T0, null)),
                takeover.plusSeconds(5), null);
        assertNull(plan.newKeySignsFrom());
        assertEquals(List.of(new KeySchedule.Retirement("a", takeover, takeover.plus(LIFETIME))), plan.retirements());
    }

    @Test
    void aForcedRotationSwitchesEverySigningKeyAtTheSwitchTime() {
        Instant now = T0.plus(Duration.ofDays(3));
        Instant switchAt = now.plusSeconds(2);
        KeySchedule.Plan plan = schedule
                .plan(List.of(key("a", T0, null), key("old", T0.minus(Duration.ofDays(40)), T0)), now, switchAt);
        assertEquals(switchAt, plan.newKeySignsFrom(), "every replica publishes the key before it signs");
        assertEquals(List.of(new KeySchedule.Retirement("a", switchAt, switchAt.plus(LIFETIME))), plan.retirements(),
                "the old key signs until then, so tokens never stop");
    }

    @Test
    void aSwitchInThePastSwitchesNow() {
        Instant now = T0.plus(Duration.ofDays(3));
        KeySchedule.Plan plan = schedule.plan(List.of(key("a", T0, null)), now, now.minusSeconds(5));
        assertEquals(now, plan.newKeySignsFrom());
        assertEquals(List.of(new KeySchedule.Retirement("a", now, now.plus(LIFETIME))), plan.retirements());
    }
}
