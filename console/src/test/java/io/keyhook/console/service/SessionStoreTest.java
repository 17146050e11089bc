package io.keyhook.console.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.keyhook.console.view.Flash;
import io.keyhook.console.view.NewSecret;

/**
 * What the session store promises: a session lives until its token expires or it is idle too long (each request moves
 * the idle deadline), ids and CSRF tokens are unguessable, and what a form leaves for the next page is taken once and
 * never outlives its session.
 */
class SessionStoreTest {

    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Instant START = Instant.parse("2030-01-01T10:00:00Z");

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        private Instant now = START;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private final TestClock clock = new TestClock();
    private final SessionStore store = new SessionStore(IDLE, clock);

    private Session create(Duration tokenLifetime) {
        return store.create("token", "adm_1", List.of("platform-operator"), List.of("env_a"),
                START.plus(tokenLifetime));
    }

    @Test
    void aSessionIsFoundByItsIdUntilItsTokenExpires() {
        Session s = create(Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(9));
        assertSame(s, store.find(s.id()));
        clock.advance(Duration.ofMinutes(1));
        assertNull(store.find(s.id()), "the session ends the moment its token expires");
        clock.advance(Duration.ofMinutes(-5));
        assertNull(store.find(s.id()), "an ended session is gone, not just hidden");
    }

    @Test
    void anIdleSessionEndsAndEachRequestMovesTheIdleDeadline() {
        Session s = create(Duration.ofHours(8));
        clock.advance(IDLE);
        assertSame(s, store.find(s.id()), "exactly at the idle timeout it still lives");
        clock.advance(IDLE);
        assertSame(s, store.find(s.id()), "the previous request moved the deadline");
        clock.advance(IDLE.plusSeconds(1));
        assertNull(store.find(s.id()), "idle longer than the timeout");
        clock.advance(Duration.ofSeconds(-10));
        assertNull(store.find(s.id()));
    }

    @Test
    void unknownAndMissingIdsFindNothing() {
        create(Duration.ofHours(1));
        assertNull(store.find(null));
        assertNull(store.find(""));
        assertNull(store.find("not-a-session"));
    }

    @Test
    void idsAndCsrfTokensAreRandomAndLongEnough() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Session s = create(Duration.ofHours(1));
            assertEquals(43, s.id().length(), "256 bits, base64url without padding");
            assertEquals(43, s.csrf().length());
            assertTrue(s.id().matches("[A-Za-z0-9_-]+"), s.id());
            assertNotEquals(s.id(), s.csrf());
            assertTrue(seen.add(s.id()) && seen.add(s.csrf()), "repeated value");
        }
    }

    @Test
    void theSessionKeepsItsOwnCopyOfGroupsAndEnvironments() {
        List<String> groups = new ArrayList<>(List.of("environment-admin"));
        List<String> environments = new ArrayList<>(List.of("env_a"));
        Session s = store.create("token", "adm_1", groups, environments, START.plusSeconds(60));
        groups.add("platform-operator");
        environments.add("*");
        assertEquals(List.of("environment-admin"), store.find(s.id()).groups());
        assertEquals(List.of("env_a"), store.find(s.id()).environments());
        assertThrows(UnsupportedOperationException.class, () -> s.environments().add("env_b"));
    }

    @Test
    void aFlashAndANewSecretAreTakenOnce() {
        Session s = create(Duration.ofHours(1));
        Flash flash = new Flash("Refused", Map.of(), Map.of());
        NewSecret secret = new NewSecret("cli_1", "sec_1", "value");
        store.flash(s.id(), flash);
        store.showOnce(s.id(), secret);
        assertSame(flash, store.takeFlash(s.id()));
        assertNull(store.takeFlash(s.id()), "a reload shows nothing again");
        assertSame(secret, store.takeShownOnce(s.id()));
        assertNull(store.takeShownOnce(s.id()), "a secret is shown once");
    }

    @Test
    void signingOutDropsTheSessionAndWhatItHeld() {
        Session s = create(Duration.ofHours(1));
        store.flash(s.id(), new Flash("Refused", Map.of(), Map.of()));
        store.showOnce(s.id(), new NewSecret("cli_1", "sec_1", "value"));
        store.remove(s.id());
        store.remove(null);
        assertNull(store.find(s.id()));
        assertNull(store.takeFlash(s.id()));
        assertNull(store.takeShownOnce(s.id()));
    }

    @Test
    void theSweepEvictsEndedSessionsAndTheirLeftoversOnly() {
        Session expiring = create(Duration.ofMinutes(5));
        Session idle = create(Duration.ofHours(8));
        Session active = create(Duration.ofHours(8));
        for (Session s : List.of(expiring, idle, active)) {
            store.flash(s.id(), new Flash("Refused " + s.id(), Map.of(), Map.of()));
            store.showOnce(s.id(), new NewSecret("cli_1", "sec_" + s.id(), "value"));
        }
        clock.advance(Duration.ofMinutes(20));
        assertSame(active, store.find(active.id()));
        clock.advance(Duration.ofMinutes(20));
        // idle now 40 minutes, active 20, expiring past its token
        store.expire();
        assertNull(store.takeFlash(expiring.id()), "an expired session's flash goes with it");
        assertNull(store.takeShownOnce(expiring.id()), "and its secret");
        assertNull(store.takeFlash(idle.id()));
        assertNull(store.takeShownOnce(idle.id()));
        assertSame(active, store.find(active.id()));
        assertTrue(store.takeFlash(active.id()) != null, "the live session keeps its flash");
        assertTrue(store.takeShownOnce(active.id()) != null, "and its secret");
        clock.advance(Duration.ofMinutes(-30));
        assertNull(store.find(idle.id()), "evicted, so going back in time brings nothing back");
        assertNull(store.find(expiring.id()));
    }
}
