package io.keyhook.dispatcher.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.sql.SqlFailures;
import io.keyhook.core.concurrent.BackgroundLoop;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.persistence.DeliveryStore.Outcome;
import io.keyhook.dispatcher.persistence.OperationalOutbox;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Sends what is stored: retries when they are due, held deliveries after a resume, spilled ones, redeliveries and
 * replays — except to a paused webhook, whose claimed deliveries go back to {@code held}. Claims due deliveries (oldest
 * queue position first, never a later event of a record while an earlier one is open, never more for a webhook than its
 * lane's free slots, none while its breaker is open) and records each attempt's outcome. Any instance may claim any
 * stored delivery; a claim lapses if its instance dies.
 */
@ApplicationScoped
public class DeliveryEngine {

    private static final Logger LOG = Logger.getLogger(DeliveryEngine.class);

    @Inject
    DispatcherConfig config;

    @Inject
    DeliveryStore store;

    @Inject
    AttemptMaker attempts;

    @Inject
    Lanes lanes;

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

    @Inject
    WebhookTuning tuning;

    private BackgroundLoop loop;
    private Counter parked;

    @Inject
    void meters(MeterRegistry registry) {
        parked = registry.counter("keyhook.dispatcher.rows.parked", "reason", "attempt");
    }

    void start(@Observes StartupEvent event) {
        loop = BackgroundLoop.start("keyhook-delivery-engine", Duration.ofMillis(500), config.delivery().pollInterval(),
                this::round);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    void round() {
        try {
            // keep claiming while there is work and free slots; pause only when a round finds nothing to start
            for (int i = 0; i < 20; i++) {
                if (claimAndStart() == 0) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("Delivery round failed: %s", e.toString());
        }
    }

    private int claimAndStart() {
        List<DeliveryRow> due = pool
                .withTransaction(c -> store.claim(c, config.delivery().claimBatch(), lanes.freeSlots(),
                        config.delivery().perWebhookConcurrency(), tuning.longestTimeout().multipliedBy(2)))
                .await().atMost(Duration.ofSeconds(30));
        for (DeliveryRow d : due) {
            WebhookState w = webhooks.webhook(d.webhookId());
            if (w != null && w.paused()) {
                hold(d);
                continue;
            }
            lanes.take(d.webhookId());
            attempts.attempt(d).invoke(a -> lanes.release(d.webhookId(), a.delivered()))
                    .invoke(a -> registry
                            .counter("keyhook.dispatcher.deliveries", "path", "stored", "outcome", a.outcome().status())
                            .increment())
                    .chain(a -> record(d, a)).subscribe()
                    // not recorded: the claim lapses and the delivery is attempted again (at least once)
                    .with(ok -> {
                    }, e -> LOG.warnf("Recording an attempt of %s failed: %s", d.id(), e.toString()));
        }
        return due.size();
    }

    /**
     * Records the attempt and the delivery's new state in one transaction. Should PostgreSQL refuse the attempt's row
     * for what it holds, the state is recorded without the answer (and the refusal counted as parked): a delivery is
     * never attempted again only because its answer could not be logged.
     */
    private Uni<Void> record(DeliveryRow d, AttemptMaker.Attempt a) {
        Outcome o = a.outcome();
        return pool.withTransaction(c -> recordWithEvent(c, d, a, o).chain(() -> gaps.afterAttempt(c, d, o.status())))
                .onFailure(SqlFailures::isRowLevel).recoverWithUni(e -> {
                    parked.increment();
                    Outcome withoutAnswer = new Outcome(o.status(), o.nextAttemptAt(), o.statusCode(),
                            "the answer could not be stored (SQLSTATE " + SqlFailures.sqlState(e) + ")", null,
                            o.latencyMs());
                    return pool.withTransaction(c -> recordWithEvent(c, d, a, withoutAnswer)
                            .chain(() -> gaps.afterAttempt(c, d, o.status())));
                });
    }

    /** The attempt, and when it ended the delivery failed, {@code keyhook.delivery.exhausted} (once: a new attempt). */
    private Uni<Void> recordWithEvent(SqlClient c, DeliveryRow d, AttemptMaker.Attempt a, Outcome o) {
        return store.recordAttempt(c, d, a.number(), a.startedAt(), o).chain(fresh -> {
            if (!fresh || !DeliveryRow.FAILED.equals(o.status())) {
                return Uni.createFrom().voidItem();
            }
            OperationalOutbox.Row row = events.exhausted(
                    new OperationalEvents.Ended(d, o.status(), a.number(), o.statusCode(), o.error(), Instant.now()),
                    null);
            return row == null ? Uni.createFrom().voidItem() : outbox.append(c, List.of(row));
        });
    }

    /**
     * Nothing is sent to a paused webhook: the delivery waits as {@code held} and goes out, in order, on resume. Should
     * the resume have been seen in the meantime, its release is run again, so nothing stays held by the race.
     */
    private void hold(DeliveryRow d) {
        store.hold(d.id()).chain(held -> {
            WebhookState now = webhooks.webhook(d.webhookId());
            return held && (now == null || !now.paused()) ? store.releaseHeld(d.webhookId()).replaceWithVoid()
                    : Uni.createFrom().voidItem();
        }).subscribe().with(ok -> registry.counter("keyhook.dispatcher.deliveries.held.by.pause").increment(),
                e -> LOG.warnf("Holding %s for its paused webhook failed: %s", d.id(), e.toString()));
    }
}
