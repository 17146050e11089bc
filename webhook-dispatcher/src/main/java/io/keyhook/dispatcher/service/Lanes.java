package io.keyhook.dispatcher.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.dispatcher.config.DispatcherConfig;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One lane per webhook: at most {@code per-webhook-concurrency} attempts in flight, a bounded queue of direct
 * deliveries waiting for a slot, and a circuit breaker. After {@code breaker.failures} failed attempts in a row the
 * breaker opens: nothing is attempted for {@code breaker.open-for} (doubling while trials keep failing, up to
 * {@code breaker.max-open-for}); queued and new deliveries are stored instead (the engine sends them once it closes). A
 * slow or dead receiver so only ever holds its own slots and its own queue; the others never wait for it.
 * <p>
 * Issue 31: a webhook's own {@code maxInFlight} replaces {@code per-webhook-concurrency} for it, and its
 * {@code rateLimitPerSecond} is a token bucket (a quarter second's worth at most): a task that has a slot but no token
 * waits in the queue, in order, and starts when the next token is due; the engine claims no more than the tokens left.
 * Both paths of this instance draw from the one bucket, so the limit holds per instance (see the README for several).
 */
@ApplicationScoped
public class Lanes {

    private static final Logger LOG = Logger.getLogger(Lanes.class);

    /** Work waiting for a slot: started when one frees, or stored when the lane cannot take it. */
    public interface Task {
        void start();

        void spill();
    }

    /** Where the breaker's transitions go, so admins can see them (the dispatcher's {@code BreakerStore}). */
    public interface BreakerLog {
        /** The breaker opened: nothing is attempted until {@code openUntil}. */
        void opened(String webhookId, Instant openedAt, Instant openUntil);

        /** An attempt succeeded, so the breaker is closed. */
        void succeeded(String webhookId);
    }

    /** A webhook's own limits on this instance (issue 31; {@link WebhookTuning}). */
    public interface Limits {
        int maxInFlight(String webhookId);

        /** Attempts started per second at most; 0 = no limit. */
        int ratePerSecond(String webhookId);

        /** The webhooks that have limits of their own. */
        Set<String> limited();
    }

    private static final class Lane {
        int inFlight;
        final TokenBucket bucket = new TokenBucket();
        boolean wakeScheduled;
        final ArrayDeque<Task> waiting = new ArrayDeque<>();
        int failuresInARow;
        long openUntil;
        Duration lastOpenFor;
    }

    @Inject
    DispatcherConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    BreakerLog breakers;

    @Inject
    Limits limits;

    private ScheduledExecutorService wakes;

    private final Map<String, Lane> lanes = new HashMap<>();

    /**
     * Starts the task now if the lane has a free slot, queues it if not (bounded), and otherwise — breaker open, or
     * queue full — has it stored: the caller spills it.
     */
    public boolean offer(String webhookId, Task task) {
        boolean start;
        synchronized (this) {
            Lane lane = lanes.computeIfAbsent(webhookId, k -> new Lane());
            if (isOpen(lane)) {
                return false;
            }
            if (lane.inFlight < maxInFlight(webhookId) && lane.waiting.isEmpty() && token(webhookId, lane)) {
                lane.inFlight++;
                start = true;
            } else if (lane.waiting.size() < queueOf(webhookId)) {
                lane.waiting.add(task);
                start = false;
                wakeWhenDue(webhookId, lane);
            } else {
                return false;
            }
        }
        if (start) {
            task.start();
        }
        return true;
    }

    /** The engine takes a slot for a stored delivery it claimed (it only claims for available lanes). */
    public synchronized void take(String webhookId) {
        Lane lane = lanes.computeIfAbsent(webhookId, k -> new Lane());
        lane.inFlight++;
        // it claimed no more than the tokens there were: the bucket pays for it (a race may leave it owing one)
        if (rate(webhookId) > 0) {
            lane.bucket.owe(rate(webhookId));
        }
    }

    /** An attempt finished: frees its slot, feeds the breaker, starts the next queued task or spills the queue. */
    public void release(String webhookId, boolean success) {
        release(webhookId, success ? Boolean.TRUE : Boolean.FALSE);
    }

    /** Frees a slot taken by a task that made no attempt (its webhook was paused): the breaker learns nothing. */
    public void free(String webhookId) {
        release(webhookId, (Boolean) null);
    }

    private void release(String webhookId, Boolean success) {
        List<Task> spill = new ArrayList<>();
        Task next = null;
        Opening opened = null;
        synchronized (this) {
            Lane lane = lanes.get(webhookId);
            if (lane == null) {
                return;
            }
            lane.inFlight--;
            if (success == null) {
                // no attempt, nothing learnt
            } else if (success) {
                lane.failuresInARow = 0;
                lane.lastOpenFor = null;
            } else if (++lane.failuresInARow >= config.delivery().breaker().failures() && !isOpen(lane)) {
                opened = open(webhookId, lane);
            }
            if (isOpen(lane)) {
                spill.addAll(lane.waiting);
                lane.waiting.clear();
            } else if (!lane.waiting.isEmpty() && lane.inFlight < maxInFlight(webhookId)) {
                if (token(webhookId, lane)) {
                    next = lane.waiting.poll();
                    lane.inFlight++;
                } else {
                    wakeWhenDue(webhookId, lane);
                }
            }
            if (lane.inFlight <= 0 && lane.waiting.isEmpty() && lane.failuresInARow == 0 && !isOpen(lane)
                    && bucketFull(webhookId, lane)) {
                lanes.remove(webhookId);
            }
        }
        if (Boolean.TRUE.equals(success)) {
            breakers.succeeded(webhookId);
        } else if (opened != null) {
            breakers.opened(webhookId, opened.at(), opened.until());
        }
        spill.forEach(Task::spill);
        if (next != null) {
            next.start();
        }
    }

    private record Opening(Instant at, Instant until) {
    }

    /** Opens the breaker; returns when and until when, for the {@link BreakerLog}. */
    private Opening open(String webhookId, Lane lane) {
        var b = config.delivery().breaker();
        Duration openFor = lane.lastOpenFor == null ? b.openFor()
                : min(lane.lastOpenFor.multipliedBy(2), b.maxOpenFor());
        lane.lastOpenFor = openFor;
        lane.openUntil = System.nanoTime() + openFor.toNanos();
        // one more failure after the pause re-opens it (a trial)
        lane.failuresInARow = b.failures() - 1;
        registry.counter("keyhook.dispatcher.breaker.opened").increment();
        LOG.warnf("Webhook %s: %d failed attempts in a row, pausing its attempts for %s", webhookId, b.failures(),
                openFor);
        Instant now = Instant.now();
        return new Opening(now, now.plus(openFor));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static boolean isOpen(Lane lane) {
        return lane.openUntil != 0 && System.nanoTime() - lane.openUntil < 0;
    }

    /** Webhooks the engine must not claim for now: no free slot, or breaker open. */
    public synchronized List<String> unavailable() {
        List<String> out = new ArrayList<>();
        lanes.forEach((id, lane) -> {
            if (isOpen(lane) || lane.inFlight >= maxInFlight(id)) {
                out.add(id);
            }
        });
        return out;
    }

    /**
     * The webhooks with attempts in flight or a breaker open, and how many more attempts each may start now (0 when
     * full or open): the engine claims no more than that for them, and up to {@code per-webhook-concurrency} for the
     * others.
     */
    public synchronized Map<String, Integer> freeSlots() {
        Map<String, Integer> out = new HashMap<>();
        lanes.forEach((id, lane) -> out.put(id,
                isOpen(lane) ? 0 : Math.min(Math.max(0, maxInFlight(id) - lane.inFlight), tokensLeft(id, lane))));
        if (limits != null) {
            // limited webhooks with no lane yet: their own slots, and a full bucket
            for (String id : limits.limited()) {
                if (!out.containsKey(id)) {
                    int rate = rate(id);
                    out.put(id, rate > 0 ? Math.min(maxInFlight(id), TokenBucket.capacity(rate)) : maxInFlight(id));
                }
            }
        }
        return out;
    }

    private int maxInFlight(String webhookId) {
        return limits == null ? config.delivery().perWebhookConcurrency() : limits.maxInFlight(webhookId);
    }

    /**
     * The lane's queue: a rate-limited webhook's holds about two seconds of its rate, the rest is stored for the engine
     * (which claims at the same rate), so no record waits in memory for long and holds its partition's commits.
     */
    private int queueOf(String webhookId) {
        int rate = rate(webhookId);
        int queue = config.delivery().queuePerWebhook();
        return rate > 0 ? Math.min(queue, Math.max(1, rate * 2)) : queue;
    }

    private int rate(String webhookId) {
        return limits == null ? 0 : limits.ratePerSecond(webhookId);
    }

    /** Takes a token if the webhook is rate-limited and one is there; true when the task may start. */
    private boolean token(String webhookId, Lane lane) {
        int rate = rate(webhookId);
        return rate <= 0 || lane.bucket.take(rate);
    }

    private int tokensLeft(String webhookId, Lane lane) {
        int rate = rate(webhookId);
        return rate <= 0 ? Integer.MAX_VALUE : lane.bucket.available(rate);
    }

    private boolean bucketFull(String webhookId, Lane lane) {
        int rate = rate(webhookId);
        return rate <= 0 || lane.bucket.full(rate);
    }

    /** Queued tasks wait for a token: start them when the next one is due (once per lane at a time). */
    private void wakeWhenDue(String webhookId, Lane lane) {
        int rate = rate(webhookId);
        if (rate <= 0 || lane.wakeScheduled || lane.waiting.isEmpty() || lane.inFlight >= maxInFlight(webhookId)) {
            return;
        }
        long nanos = lane.bucket.nanosToNext(rate);
        lane.wakeScheduled = true;
        if (wakes == null) {
            wakes = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "keyhook-lane-rate");
                t.setDaemon(true);
                return t;
            });
        }
        wakes.schedule(() -> wake(webhookId), Math.max(100_000, nanos), TimeUnit.NANOSECONDS);
    }

    /** A token is due: starts what the slots and the tokens allow, in queue order. */
    private void wake(String webhookId) {
        List<Task> start = new ArrayList<>();
        List<Task> spill = new ArrayList<>();
        synchronized (this) {
            Lane lane = lanes.get(webhookId);
            if (lane == null) {
                return;
            }
            lane.wakeScheduled = false;
            if (isOpen(lane)) {
                spill.addAll(lane.waiting);
                lane.waiting.clear();
            }
            while (!lane.waiting.isEmpty() && lane.inFlight < maxInFlight(webhookId) && token(webhookId, lane)) {
                start.add(lane.waiting.poll());
                lane.inFlight++;
            }
            wakeWhenDue(webhookId, lane);
        }
        spill.forEach(Task::spill);
        start.forEach(Task::start);
    }

    /** Whether the webhook's breaker is open (tests, metrics). */
    public synchronized boolean isOpen(String webhookId) {
        Lane lane = lanes.get(webhookId);
        return lane != null && isOpen(lane);
    }
}
