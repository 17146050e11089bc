package io.keyhook.dispatcher.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.persistence.DeliveryStore.RangeSize;
import io.keyhook.dispatcher.persistence.DeliveryStore.ReplayOutcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Replays of a webhook's deliveries in a range: one transaction each, holding the webhook's replay lock, so two at once
 * queue each delivery once ({@link DeliveryStore#replay}).
 */
@ApplicationScoped
public class Replays {

    @Inject
    Pool pool;

    @Inject
    DeliveryStore store;

    /** Queues every delivered or failed delivery created in [from, to) again, if there are at most {@code max}. */
    public Uni<ReplayOutcome> replay(String environment, String webhookId, Instant from, Instant to, int max) {
        return pool.withTransaction(c -> store.replay(c, environment, webhookId, from, to, max));
    }

    /** How many a replay of [from, to) would send again, and where a first, smaller one should end. */
    public Uni<RangeSize> rangeSize(String environment, String webhookId, Instant from, Instant to, int max) {
        return store.rangeSize(environment, webhookId, from, to, max);
    }
}
