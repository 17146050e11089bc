package io.keyhook.common.concurrent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task repeated on a daemon thread of its own, with a fixed delay between runs. For work that blocks (a broker, a
 * database round) or must run more often than the Quarkus scheduler's one-second floor; never on a Vert.x thread.
 */
public final class BackgroundLoop implements AutoCloseable {

    private final ScheduledExecutorService executor;

    private BackgroundLoop(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts running {@code task} after {@code initialDelay}, then {@code every} after each run ends. */
    public static BackgroundLoop start(String threadName, Duration initialDelay, Duration every, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(task, initialDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return new BackgroundLoop(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
