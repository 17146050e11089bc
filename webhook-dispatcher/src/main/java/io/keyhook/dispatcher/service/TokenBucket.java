package io.keyhook.dispatcher.service;

/**
 * A webhook's rate limit on this instance (issue 31): {@code rate} tokens a second, at most a quarter second's worth
 * held, so a burst after a quiet spell stays small and the engine's polls (100 ms apart) lose no token. Starts full.
 * Not thread-safe: {@link Lanes} guards it with its lock. The rate is passed on each use, so a change applies at once.
 */
final class TokenBucket {

    private double tokens = Double.NaN;
    private long refilledAt;

    static int capacity(int rate) {
        return Math.max(1, rate / 4);
    }

    /** Takes a token if one is there. */
    boolean take(int rate) {
        refill(rate);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Takes a token whether or not one is there (the engine claimed no more than there were; a race may owe one). */
    void owe(int rate) {
        refill(rate);
        tokens -= 1;
    }

    /** Whole tokens there now. */
    int available(int rate) {
        refill(rate);
        return (int) Math.max(0, Math.floor(tokens));
    }

    boolean full(int rate) {
        refill(rate);
        return tokens >= capacity(rate);
    }

    /** How long until a whole token is there. */
    long nanosToNext(int rate) {
        refill(rate);
        return (long) Math.max(0, (1 - tokens) * 1e9 / rate);
    }

    private void refill(int rate) {
        long now = System.nanoTime();
        tokens = Double.isNaN(tokens) ? capacity(rate)
                : Math.min(capacity(rate), tokens + (now - refilledAt) * (double) rate / 1e9);
        refilledAt = now;
    }
}
