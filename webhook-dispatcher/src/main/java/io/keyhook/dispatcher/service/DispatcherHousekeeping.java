package io.keyhook.dispatcher.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRetention;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.persistence.LogEntry;
import io.keyhook.dispatcher.persistence.OperationalOutbox;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Expires held deliveries past their retention, prunes the delivery log, keeps the backlog gauges current. */
@ApplicationScoped
public class DispatcherHousekeeping {

    private static final Logger LOG = Logger.getLogger(DispatcherHousekeeping.class);

    @Inject
    DeliveryStore store;

    @Inject
    DeliveryRetention retention;

    @Inject
    DispatcherConfig config;

    @Inject
    WebhookView webhooks;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Inject
    GapManifest gaps;

    @Inject
    OperationalEvents events;

    @Inject
    OperationalOutbox outbox;

    private final AtomicLong retryBacklog = new AtomicLong();
    private final AtomicLong held = new AtomicLong();

    @Inject
    void gauges(MeterRegistry registry) {
        registry.gauge("keyhook.dispatcher.retry.backlog", retryBacklog);
        registry.gauge("keyhook.dispatcher.held", held);
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expireHeld() {
        return expireHeldBefore(Instant.now().minus(config.delivery().heldRetention())).invoke(n -> {
            if (n > 0) {
                LOG.warnf("%d held deliveries expired after %s", n, config.delivery().heldRetention());
            }
        }).replaceWithVoid().onFailure().recoverWithNull();
    }

    /**
     * Expires the deliveries held since before {@code createdBefore}, each with its {@code keyhook.delivery.exhausted}
     * (status {@code expired}) in the same transaction, and their records join the gap manifest there too; emits how
     * many.
     */
    public Uni<Integer> expireHeldBefore(Instant createdBefore) {
        // a slice per transaction (each row's event is built in memory), until one is not full
        return expireSlice(createdBefore).chain(n -> n < EXPIRY_SLICE ? Uni.createFrom().item(n)
                : expireHeldBefore(createdBefore).map(more -> n + more));
    }

    private static final int EXPIRY_SLICE = 1000;

    private Uni<Integer> expireSlice(Instant createdBefore) {
        return pool.withTransaction(c -> retention.expireHeld(c, createdBefore, EXPIRY_SLICE).call(expired -> {
            List<OperationalOutbox.Row> rows = new ArrayList<>();
            for (LogEntry e : expired) {
                OperationalOutbox.Row row = events.exhausted(new OperationalEvents.Ended(e.row(), e.status(),
                        e.attempts(), e.lastStatus(), e.lastError(), e.finishedAt()), null);
                if (row != null) {
                    rows.add(row);
                }
            }
            return outbox.append(c, rows).chain(() -> gaps.ended(c, expired.stream().map(e -> e.row().id()).toList()));
        })).map(List::size).invoke(n -> {
            if (n > 0) {
                registry.counter("keyhook.dispatcher.held.expired").increment(n);
            }
        });
    }

    /**
     * Held deliveries of a webhook that is no longer paused are released: the resume's own release runs once when the
     * view sees it, and this catches what it could not (PostgreSQL down then, a resume while no dispatcher ran).
     */
    @Scheduled(every = "30s", delay = 30, delayUnit = TimeUnit.SECONDS, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> releaseUnpaused() {
        if (!webhooks.caughtUp()) {
            return Uni.createFrom().voidItem();
        }
        return store.webhooksWithHeld().onItem()
                .transformToMulti(ids -> Multi.createFrom().iterable(ids.stream().filter(id -> {
                    var w = webhooks.webhook(id);
                    return w != null && !w.paused();
                }).toList())).onItem().transformToUniAndConcatenate(id -> store.releaseHeld(id)).collect().asList()
                .replaceWithVoid().onFailure().recoverWithNull();
    }

    /**
     * The delivery log keeps finished deliveries for {@code log-retention}, and successful ones for
     * {@code delivered-log-retention} when that is shorter; older ones go, a slice at a time.
     */
    @Scheduled(every = "10m", delay = 1, delayUnit = TimeUnit.MINUTES, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pruneLog() {
        Duration all = config.delivery().logRetention();
        Duration delivered = config.delivery().deliveredLogRetention().filter(d -> d.compareTo(all) < 0).orElse(null);
        Uni<Integer> successes = delivered == null ? Uni.createFrom().item(0) : retention
                .pruneDelivered(Instant.now().minus(delivered), 50_000).invoke(n -> pruned(n, "delivered", delivered));
        return successes.chain(
                () -> retention.pruneFinished(Instant.now().minus(all), 50_000).invoke(n -> pruned(n, "finished", all)))
                .replaceWithVoid().onFailure().recoverWithNull();
    }

    private void pruned(int n, String which, Duration retention) {
        if (n > 0) {
            registry.counter("keyhook.dispatcher.log.pruned").increment(n);
            LOG.infof("%d %s deliveries older than %s removed from the delivery log", n, which, retention);
        }
    }

    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> measure() {
        return retention.backlog().invoke(b -> {
            retryBacklog.set(b[0]);
            held.set(b[1]);
        }).replaceWithVoid().onFailure().recoverWithNull();
    }
}
