package io.keyhook.console.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.console.config.ConsoleConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * The console's own sign-in limit: at most {@code keyhook.console.sign-in-attempts-per-minute} (30) sign-in attempts
 * (admin-client form posts and OIDC starts) per visitor address per minute. Past it the sign-in page answers 429 and
 * token-service and the provider are not asked. Memory is bounded: past {@link #MAX_ADDRESSES} tracked addresses the
 * oldest windows are dropped.
 */
@ApplicationScoped
public class SignInLimits {

    static final long WINDOW_MILLIS = 60_000;
    static final int MAX_ADDRESSES = 100_000;

    private record Window(long start, int count) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int max;

    @Inject
    SignInLimits(ConsoleConfig config) {
        this(config.signInAttemptsPerMinute());
    }

    SignInLimits(int max) {
        this.max = max;
    }

    /** Takes one attempt for this address; false when it is over the limit. */
    public boolean tryAcquire(String address) {
        long now = System.currentTimeMillis();
        if (windows.size() >= MAX_ADDRESSES) {
            expire();
        }
        Window w = windows.compute(address, (k, old) -> old == null || now - old.start() >= WINDOW_MILLIS
                ? new Window(now, 1) : new Window(old.start(), old.count() + 1));
        return w.count() <= max;
    }

    @Scheduled(every = "1m")
    void expire() {
        long now = System.currentTimeMillis();
        windows.values().removeIf(w -> now - w.start() >= WINDOW_MILLIS);
    }
}
