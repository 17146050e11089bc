package io.keyhook.core.concurrent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task repeated on a daemon thread of its own, with a fixed delay between runs. For work that blocks (a broker, a
 * database round) or must run more often than the Quarkus scheduler's one-second floor; never on a Vert.x thread. A
 * round that throws is logged and the next one runs on time: a scheduled executor would otherwise end the schedule for
 * good at the first exception, silently (an outbox relay that never publishes again).
 */
public final class BackgroundLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BackgroundLoop.class.getName());

    private final ScheduledExecutorService executor;
    private final Runnable task;
    /** One extra run at most is queued, however many wake-ups arrive while it waits. */
    private final AtomicBoolean extraQueued = new AtomicBoolean();

    private BackgroundLoop(ScheduledExecutorService executor, Runnable task) {
        this.executor = executor;
        this.task = task;
    }

    /** Starts running {@code task} after {@code initialDelay}, then {@code every} after each run ends. */
    public static BackgroundLoop start(String threadName, Duration initialDelay, Duration every, Runnable round) {
        Runnable task = guarded(threadName, round);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(task, initialDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return new BackgroundLoop(executor, task);
    }

    /**
     * Runs the task once more as soon as the thread is free, besides the fixed schedule. Safe from any thread (a Vert.x
     * event loop included: it only queues); wake-ups arriving while one is queued are folded into it.
     */
    public void runSoon() {
        if (!extraQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                extraQueued.set(false);
                task.run();
            });
        } catch (RejectedExecutionException closed) {
            extraQueued.set(false);
        }
    }

    private static Runnable guarded(String name, Runnable round) {
        return () -> {
            try {
                round.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A round of " + name + " failed; the next runs as scheduled", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
