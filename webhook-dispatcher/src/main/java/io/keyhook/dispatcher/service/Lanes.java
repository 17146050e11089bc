package io.keyhook.dispatcher.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private static final class Lane {
        int inFlight;
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
            if (lane.inFlight < config.delivery().perWebhookConcurrency() && lane.waiting.isEmpty()) {
                lane.inFlight++;
                start = true;
            } else if (lane.waiting.size() < config.delivery().queuePerWebhook()) {
                lane.waiting.add(task);
                start = false;
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
        lanes.computeIfAbsent(webhookId, k -> new Lane()).inFlight++;
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
            } else if (!lane.waiting.isEmpty() && lane.inFlight < config.delivery().perWebhookConcurrency()) {
                next = lane.waiting.poll();
                lane.inFlight++;
            }
            if (lane.inFlight <= 0 && lane.waiting.isEmpty() && lane.failuresInARow == 0 && !isOpen(lane)) {
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
            if (isOpen(lane) || lane.inFlight >= config.delivery().perWebhookConcurrency()) {
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
        int perWebhook = config.delivery().perWebhookConcurrency();
        lanes.forEach((id, lane) -> out.put(id, isOpen(lane) ? 0 : Math.max(0, perWebhook - lane.inFlight)));
        return out;
    }

    /** Whether the webhook's breaker is open (tests, metrics). */
    public synchronized boolean isOpen(String webhookId) {
        Lane lane = lanes.get(webhookId);
        return lane != null && isOpen(lane);
    }
}
