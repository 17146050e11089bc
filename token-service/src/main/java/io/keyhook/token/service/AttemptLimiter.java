package io.keyhook.token.service;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed-window counter per key that blocks the key for a while once it reaches its limit. In memory, per replica:
 * each replica enforces the limit on what it sees, which bounds the total at limit x replicas. Memory is bounded by
 * {@code maxKeys}: past it, keys that are neither blocked nor in a live window are dropped first.
 */
public final class AttemptLimiter {

    private record State(long windowStart, int count, long blockedUntil) {
    }

    private final int max;
    private final long windowMillis;
    private final long blockMillis;
    private final int maxKeys;
    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

    public AttemptLimiter(int max, long windowMillis, long blockMillis, int maxKeys) {
        this.max = max;
        this.windowMillis = windowMillis;
        this.blockMillis = blockMillis;
        this.maxKeys = maxKeys;
    }

    /** Seconds the key stays blocked (rounded up), or 0 when it is not blocked. */
    public long blockedFor(String key, long now) {
        State s = key == null ? null : states.get(key);
        return s == null || s.blockedUntil <= now ? 0 : seconds(s.blockedUntil - now);
    }

    /**
     * Counts one event (a failure); the key is blocked once {@code max} of them fall in one window, until {@code block}
     * after the latest failure at or past the limit. Returns true for the one event that reached the limit in its
     * window (the block starts), so a caller can signal it once per window.
     */
    public boolean record(String key, long now) {
        if (key == null) {
            return false;
        }
        makeRoom(now);
        boolean[] reached = { false };
        states.compute(key, (k, s) -> {
            // a new window starts the count again, never the block: a block runs to its end even when it is longer
            // than the window, or a failure comes after the window that started it
            State fresh = s == null ? new State(now, 0, 0)
                    : now - s.windowStart >= windowMillis ? new State(now, 0, s.blockedUntil) : s;
            int count = fresh.count + 1;
            reached[0] = count == max;
            long blockedUntil = count >= max ? Math.max(fresh.blockedUntil, now + blockMillis) : fresh.blockedUntil;
            return new State(fresh.windowStart, count, blockedUntil);
        });
        return reached[0];
    }

    /**
     * Takes one event (an issuance) if the key is under its limit: returns 0, else the seconds until it may try again.
     * The event past the limit starts the block.
     */
    public long acquire(String key, long now) {
        makeRoom(now);
        long[] retry = { 0 };
        states.compute(key, (k, s) -> {
            if (s != null && s.blockedUntil > now) {
                retry[0] = seconds(s.blockedUntil - now);
                return s;
            }
            State fresh = s == null || now - s.windowStart >= windowMillis ? new State(now, 0, 0) : s;
            if (fresh.count >= max) {
                retry[0] = seconds(blockMillis);
                return new State(now, 0, now + blockMillis);
            }
            return new State(fresh.windowStart, fresh.count + 1, 0);
        });
        return retry[0];
    }

    /** Drops keys whose window and block are both over. */
    public void purge(long now) {
        states.entrySet().removeIf(e -> expired(e.getValue(), now));
    }

    public int size() {
        return states.size();
    }

    private void makeRoom(long now) {
        if (states.size() < maxKeys) {
            return;
        }
        purge(now);
        if (states.size() >= maxKeys) {
            // under a flood of made-up keys: forget counting keys, never the blocked ones
            states.entrySet().removeIf(e -> e.getValue().blockedUntil <= now);
        }
    }

    private boolean expired(State s, long now) {
        return s.blockedUntil <= now && now - s.windowStart >= windowMillis;
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
