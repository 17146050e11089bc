package io.keyhook.dispatcher.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.config.OperationalConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore.Outcome;
import io.keyhook.dispatcher.persistence.OperationalOutbox;
import io.keyhook.dispatcher.persistence.WebhookHealthStore;
import io.keyhook.dispatcher.view.WebhookView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Whether each webhook is failing (issue 31): {@code keyhook.webhook.failing} after {@code failing-after-failures}
 * failed attempts in a row or a failure rate above {@code failure-rate} in {@code failure-window}, once per episode,
 * and {@code keyhook.webhook.recovered} at its first delivered attempt after. The counting is in this replica's memory
 * (an attempt costs a map look-up, no statement); only an episode's edges are written, each a conditional claim in
 * {@code webhook_health} with its event in the same transaction, so two replicas, or one restarted, emit once.
 */
@ApplicationScoped
public class WebhookHealth {

    private static final Logger LOG = Logger.getLogger(WebhookHealth.class);

    private final OperationalConfig config;
    private final WebhookView webhooks;
    private final WebhookHealthStore store;
    private final OperationalEvents events;
    private final OperationalOutbox outbox;
    private final Pool pool;

    /** One webhook's failures as this replica saw them. */
    private static final class Counters {
        int consecutive;
        Instant runStart;
        long windowStart;
        int windowAttempts;
        int windowFailures;
        Integer lastStatus;
        String lastError;
        Instant lastAttemptAt;
        boolean claiming;
    }

    private final ConcurrentHashMap<String, Counters> counters = new ConcurrentHashMap<>();
    /** Webhooks with an open failing episode, as far as this replica knows (its claims, and each refresh). */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    WebhookHealth(DispatcherConfig config, WebhookView webhooks, WebhookHealthStore store, OperationalEvents events,
            OperationalOutbox outbox, Pool pool) {
        this.config = config.operational();
        this.webhooks = webhooks;
        this.store = store;
        this.events = events;
        this.outbox = outbox;
        this.pool = pool;
    }

    /** One attempt's outcome, from the direct path or the engine. Never fails, never waits. */
    public void observe(String webhookId, Outcome o, Instant startedAt) {
        if (DeliveryRow.DELIVERED.equals(o.status())) {
            boolean wasFailing = !failing.isEmpty() && failing.contains(webhookId);
            Counters k = counters.get(webhookId);
            if (k != null) {
                synchronized (k) {
                    k.consecutive = 0;
                    k.windowAttempts++;
                    // a recovery starts counting afresh: the episode's failures must not make the next one "failing"
                    if (wasFailing || System.nanoTime() - k.windowStart > config.failureWindow().toNanos()) {
                        counters.remove(webhookId, k);
                    }
                }
            }
            if (wasFailing) {
                recovered(webhookId);
            }
            return;
        }
        WebhookState w = webhooks.webhook(webhookId);
        if (w == null) {
            return;
        }
        Counters k = counters.computeIfAbsent(webhookId, id -> new Counters());
        Instant failingSince;
        boolean crossed;
        synchronized (k) {
            long now = System.nanoTime();
            if (k.windowAttempts == 0 || now - k.windowStart > config.failureWindow().toNanos()) {
                k.windowStart = now;
                k.windowAttempts = 0;
                k.windowFailures = 0;
            }
            k.windowAttempts++;
            k.windowFailures++;
            if (k.consecutive++ == 0) {
                k.runStart = startedAt;
            }
            k.lastStatus = o.statusCode();
            k.lastError = o.error();
            k.lastAttemptAt = startedAt;
            crossed = k.consecutive >= config.failingAfterFailures()
                    || k.windowAttempts >= config.failureMinAttempts() && rate(k) > config.failureRate();
            if (!crossed || k.claiming || failing.contains(webhookId)) {
                return;
            }
            k.claiming = true;
            // as PostgreSQL keeps it, so failing and recovered name the same instant
            failingSince = k.runStart.truncatedTo(ChronoUnit.MICROS);
        }
        OperationalEvents.Failing f;
        synchronized (k) {
            f = new OperationalEvents.Failing(webhookId, w.environment(), w.url(), failingSince, k.consecutive, rate(k),
                    config.failureWindow(), k.lastStatus, k.lastError, k.lastAttemptAt,
                    w.operational() ? null : failingSince.plus(config.autoDisableAfter()));
        }
        claimFailing(f).subscribe().with(mine -> {
            failing.add(webhookId);
            synchronized (k) {
                k.claiming = false;
            }
            if (mine) {
                LOG.warnf("Webhook %s is failing since %s (%d failed attempts in a row)", webhookId, failingSince,
                        f.consecutiveFailures());
            }
        }, e -> {
            synchronized (k) {
                k.claiming = false;
            }
            LOG.warnf("Could not record that webhook %s is failing (%s); the next failure tries again", webhookId,
                    e.toString());
        });
    }

    /** Starts the episode and writes its event, in one transaction; emits whether this replica started it. */
    Uni<Boolean> claimFailing(OperationalEvents.Failing f) {
        return pool.withTransaction(
                c -> store.claimFailing(c, f.webhookId(), f.environment(), f.failingSince(), Instant.now()).call(
                        mine -> mine ? outbox.append(c, List.of(events.failing(f))) : Uni.createFrom().voidItem()));
    }

    private void recovered(String webhookId) {
        if (!failing.remove(webhookId)) {
            return;
        }
        WebhookState w = webhooks.webhook(webhookId);
        Instant now = Instant.now();
        pool.withTransaction(c -> store.claimRecovered(c, webhookId, now)
                .call(since -> since == null || w == null ? Uni.createFrom().voidItem()
                        : outbox.append(c, List.of(events.recovered(webhookId, w.environment(), w.url(), since, now)))))
                .subscribe().with(since -> {
                    if (since != null) {
                        LOG.infof("Webhook %s recovered (failing since %s)", webhookId, since);
                    }
                }, e -> {
                    failing.add(webhookId);
                    LOG.warnf("Could not record that webhook %s recovered (%s); its next delivery tries again",
                            webhookId, e.toString());
                });
    }

    /** What PostgreSQL says is failing now (another replica's episodes, a restart). */
    void refresh(Set<String> open) {
        failing.retainAll(open);
        failing.addAll(open);
    }

    /** Whether this replica knows the webhook to be failing (tests). */
    public boolean isFailing(String webhookId) {
        return failing.contains(webhookId);
    }

    private static double rate(Counters k) {
        return k.windowAttempts == 0 ? 0 : (double) k.windowFailures / k.windowAttempts;
    }
}
