package io.keyhook.token.service;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 28, point 7: {@link AttemptLimiter} against a reference model of what its limits promise, over random event
 * sequences on a clock the test moves, with random window, limit and block (a block longer than its window included):
 * <ul>
 * <li>failures: {@code max} of them in one fixed window block the key for {@code block} from the failure that reached
 * the limit (each later failure in that window pushes the end out); a block always runs to its end, whatever comes
 * after it — a failure in a new window, the purge, a flood of other keys (which may make it forget a count, never a
 * block: a property of its own, since which counts are forgotten depends on every other key);</li>
 * <li>issuances: {@code max} per window; the one past the limit blocks the key for {@code block}.</li>
 * </ul>
 * A success (a correct secret) never touches the failure limiters, so it has no event here.
 */
class AttemptLimiterPropertyTest {

    /** One step: move the clock, then act on key "k" (or a burst of made-up keys, or the purge). */
    record Step(long advance, Kind kind) {
    }

    enum Kind {
        FAILURE, CHECK, PURGE, OTHER_KEYS
    }

    /** What the limits promise, for one key. */
    static final class FailureModel {
        final int max;
        final long window;
        final long block;
        Long windowStart;
        int count;
        long blockedUntil;

        FailureModel(int max, long window, long block) {
            this.max = max;
            this.window = window;
            this.block = block;
        }

        boolean failure(long now) {
            if (windowStart == null || now - windowStart >= window) {
                windowStart = now;
                count = 0;
            }
            count++;
            if (count >= max) {
                blockedUntil = Math.max(blockedUntil, now + block);
            }
            return count == max;
        }

        long blockedFor(long now) {
            return blockedUntil <= now ? 0 : Math.max(1, (blockedUntil - now + 999) / 1000);
        }
    }

    @Property(tries = 1000)
    void aFailureBlockRunsToItsEndWhateverComesAfterIt(@ForAll @IntRange(min = 1, max = 6) int max,
            @ForAll("durations") long window, @ForAll("durations") long block,
            @ForAll("failureSteps") List<Step> steps) {
        AttemptLimiter limiter = new AttemptLimiter(max, window, block, 50);
        FailureModel model = new FailureModel(max, window, block);
        long now = 1_000_000;
        int i = 0;
        for (Step s : steps) {
            now += s.advance();
            String at = "step " + i++ + " at " + now + " (" + s.kind() + ")";
            switch (s.kind()) {
            case FAILURE -> {
                boolean reached = limiter.record("k", now);
                equal(model.failure(now), reached, at + ": the failure that reaches the limit says so");
            }
            case PURGE -> limiter.purge(now);
            case OTHER_KEYS -> throw new IllegalStateException("floods have their own property");
            case CHECK -> {
            }
            }
            equal(model.blockedFor(now), limiter.blockedFor("k", now), at + ": seconds blocked");
        }
    }

    /**
     * With floods of made-up keys in between (which make the limiter forget counts, never blocks): once the key is seen
     * blocked, it stays blocked at least to the end it was seen with.
     */
    @Property(tries = 500)
    void aFloodOfOtherKeysNeverEndsABlockEarly(@ForAll @IntRange(min = 1, max = 6) int max,
            @ForAll("durations") long window, @ForAll("durations") long block, @ForAll("floodSteps") List<Step> steps) {
        AttemptLimiter limiter = new AttemptLimiter(max, window, block, 50);
        long now = 1_000_000;
        long seenUntil = 0;
        int i = 0;
        for (Step s : steps) {
            now += s.advance();
            switch (s.kind()) {
            case FAILURE -> limiter.record("k", now);
            case PURGE -> limiter.purge(now);
            case OTHER_KEYS -> {
                // four times the tracked keys: the limiter has to make room
                for (int k = 0; k < 200; k++) {
                    limiter.record("other-" + k + "-" + now, now);
                }
            }
            case CHECK -> {
            }
            }
            long seconds = limiter.blockedFor("k", now);
            if (now < seenUntil && seconds == 0) {
                throw new AssertionError("step " + i + " at " + now + " (" + s.kind()
                        + "): the block seen to last until " + seenUntil + " was lifted");
            }
            // blockedFor rounds up: the block lasts past now + (seconds - 1) s
            seenUntil = Math.max(seenUntil, seconds == 0 ? 0 : now + (seconds - 1) * 1000 + 1);
            i++;
        }
    }

    /** Issuance: {@code max} per window, then the key waits out the block. */
    @Property(tries = 1000)
    void issuanceTakesUpToItsLimitAndTheBlockRunsToItsEnd(@ForAll @IntRange(min = 1, max = 6) int max,
            @ForAll("durations") long window, @ForAll("durations") long block,
            @ForAll("advancesList") List<Long> steps) {
        AttemptLimiter limiter = new AttemptLimiter(max, window, block, 50);
        Long windowStart = null;
        int count = 0;
        long blockedUntil = 0;
        long now = 1_000_000;
        for (long advance : steps) {
            now += advance;
            long expected;
            if (blockedUntil > now) {
                expected = Math.max(1, (blockedUntil - now + 999) / 1000);
            } else {
                if (windowStart == null || now - windowStart >= window) {
                    windowStart = now;
                    count = 0;
                }
                if (count >= max) {
                    expected = Math.max(1, (block + 999) / 1000);
                    blockedUntil = now + block;
                    windowStart = now;
                    count = 0;
                } else {
                    expected = 0;
                    count++;
                }
            }
            equal(expected, limiter.acquire("k", now), "issuance at " + now);
        }
    }

    private static void equal(Object expected, Object actual, String what) {
        if (!expected.equals(actual)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }

    @Provide
    Arbitrary<Long> durations() {
        return Arbitraries.longs().between(1, 10).map(n -> n * 1000);
    }

    @Provide
    Arbitrary<List<Step>> failureSteps() {
        Arbitrary<Kind> kind = Arbitraries.frequency(Tuple.of(6, Kind.FAILURE), Tuple.of(3, Kind.CHECK),
                Tuple.of(1, Kind.PURGE));
        return Combinators.combine(advances(), kind).as(Step::new).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Step>> floodSteps() {
        Arbitrary<Kind> kind = Arbitraries.frequency(Tuple.of(6, Kind.FAILURE), Tuple.of(3, Kind.CHECK),
                Tuple.of(1, Kind.PURGE), Tuple.of(2, Kind.OTHER_KEYS));
        return Combinators.combine(advances(), kind).as(Step::new).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Long>> advancesList() {
        return advances().list().ofMaxSize(60);
    }

    /** Mostly small moves of the clock, sometimes past a window or a block. */
    static Arbitrary<Long> advances() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.longs().between(0, 999)),
                Tuple.of(3, Arbitraries.longs().between(1000, 5000)),
                Tuple.of(1, Arbitraries.longs().between(5000, 15000)));
    }
}
