package io.keyhook.dispatcher.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.client.WebhooksInternalApi;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.config.OperationalConfig;
import io.keyhook.dispatcher.persistence.OperationalOutbox;
import io.keyhook.dispatcher.persistence.WebhookHealthStore;
import io.keyhook.dispatcher.view.WebhookView;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The operational checks every replica runs each {@code check-every} (issue 31): which webhooks are failing (another
 * replica's episodes), auto-disable of a data webhook failing for {@code auto-disable-after}, and
 * {@code keyhook.held.expiring} once per held episode. Each acts through a conditional claim in {@code webhook_health},
 * so replicas running the same round do it once.
 */
@ApplicationScoped
public class OperationalChecks {

    private static final Logger LOG = Logger.getLogger(OperationalChecks.class);

    private final OperationalConfig config;
    private final Duration heldRetention;
    private final WebhookView webhooks;
    private final WebhookHealthStore store;
    private final WebhookHealth health;
    private final OperationalEvents events;
    private final OperationalOutbox outbox;
    private final Pool pool;
    private final WebhooksInternalApi webhooksApi;

    OperationalChecks(DispatcherConfig config, WebhookView webhooks, WebhookHealthStore store, WebhookHealth health,
            OperationalEvents events, OperationalOutbox outbox, Pool pool,
            @RestClient WebhooksInternalApi webhooksApi) {
        this.config = config.operational();
        this.heldRetention = config.delivery().heldRetention();
        this.webhooks = webhooks;
        this.store = store;
        this.health = health;
        this.events = events;
        this.outbox = outbox;
        this.pool = pool;
        this.webhooksApi = webhooksApi;
    }

    @Scheduled(every = "${keyhook.dispatcher.operational.check-every:30s}", delay = 5, delayUnit = java.util.concurrent.TimeUnit.SECONDS, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!webhooks.caughtUp()) {
            return Uni.createFrom().voidItem();
        }
        return round().onFailure().invoke(e -> LOG.warnf("Operational checks failed: %s", e.toString())).onFailure()
                .recoverWithNull();
    }

    /** One round: refresh, auto-disable, held expiry warnings. */
    public Uni<Void> round() {
        return store.failing().invoke(health::refresh).chain(() -> autoDisable(Instant.now()))
                .chain(() -> heldExpiring(Instant.now()));
    }

    /**
     * Pauses (through webhook-config-service, code {@code failing}) each data webhook failing since before
     * {@code now - auto-disable-after}; never an operational one, never one already paused. One request per episode: a
     * claim, released if the request fails so a later round asks again.
     */
    Uni<Void> autoDisable(Instant now) {
        return store.dueForDisable(now.minus(config.autoDisableAfter()))
                .chain(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(e -> {
                    WebhookState w = webhooks.webhook(e.webhookId());
                    if (w == null || w.operational() || w.paused()) {
                        return Uni.createFrom().voidItem();
                    }
                    Instant claimedAt = Instant.now();
                    return store.claimDisable(e, claimedAt)
                            .chain(mine -> mine ? disable(e, claimedAt) : Uni.createFrom().voidItem());
                }).collect().asList()).replaceWithVoid();
    }

    private Uni<Void> disable(WebhookHealthStore.Episode e, Instant claimedAt) {
        String reason = "failing continuously since " + e.failingSince() + " (no delivered attempt for "
                + config.autoDisableAfter() + ")";
        return webhooksApi
                .disable(e.webhookId(), new WebhooksInternalApi.Reason(reason, WebhooksInternalApi.Reason.FAILING))
                .invoke(() -> LOG.warnf("Webhook %s paused: %s", e.webhookId(), reason)).onFailure().call(x -> {
                    LOG.errorf("Could not pause failing webhook %s (%s); a later round tries again", e.webhookId(),
                            x.toString());
                    return store.releaseDisable(e.webhookId(), claimedAt);
                }).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** {@code keyhook.held.expiring} for each webhook whose oldest held delivery expires within the warning. */
    Uni<Void> heldExpiring(Instant now) {
        Duration warnAfter = heldRetention.minus(config.heldExpiringWarning());
        Instant before = now.minus(warnAfter.isNegative() ? Duration.ZERO : warnAfter);
        return store
                .heldSince(before).chain(
                        held -> Multi.createFrom().iterable(held).onItem()
                                .transformToUniAndConcatenate(h -> pool.withTransaction(c -> store
                                        .claimHeldWarning(c, h.webhookId(), h.environment(), Instant.now())
                                        .call(mine -> mine
                                                ? outbox.append(c,
                                                        List.of(events.heldExpiring(h.webhookId(), h.environment(),
                                                                h.count(), h.oldest(), h.oldest().plus(heldRetention))))
                                                : Uni.createFrom().voidItem())))
                                .collect().asList())
                .chain(store::endHeldEpisodes).replaceWithVoid();
    }
}
