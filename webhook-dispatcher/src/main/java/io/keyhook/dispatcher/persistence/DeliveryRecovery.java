package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.at;
import static io.keyhook.dispatcher.persistence.Timestamps.instant;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Recover: a webhook's deliveries created in [since, to) that were not delivered are sent now. Those that ended
 * {@code failed} or {@code expired} become pending and due; pending ones waiting for their next retry become due.
 * Delivered ones are never touched, held ones stay held (the webhook is paused).
 */
@ApplicationScoped
public class DeliveryRecovery {

    /** What a recover did: how many it made due, how many held ones it left, or nothing (more than the bound). */
    public record Outcome(int recovered, long held, boolean tooLarge) {
    }

    @Inject
    Pool pool;

    // what a recover sends: everything not delivered that is not held (in the range)
    private static final String RANGE = " from dispatcher.deliveries where environment = $1 and webhook_id = $2"
            + " and created_at >= $3 and created_at < $4 and status in ('failed', 'expired', 'pending')";

    /**
     * One statement (one snapshot), in the caller's transaction, holding the webhook's replay lock (the same as
     * {@link DeliveryStore#replay}'s): two recovers at once, or a recover and a replay, take turns, and each delivery
     * is made due once. Record order is kept by not moving anything in the queue: a recovered delivery keeps its queue
     * position ({@code queue_position}, else {@code sequence}), so the engine's per-record check (no earlier open
     * delivery of the same record) sends it before any later delivery of its record that is still pending, and the
     * recovered ones of one record in their original order.
     */
    public Uni<Outcome> recover(SqlClient c, String environment, String webhookId, Instant since, Instant to, int max) {
        return c.preparedQuery("select pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of(DeliveryStore.replayLock(webhookId)))
                // "now" once the lock is held: taken before, a recover that waited for another would find what that
                // one made due "not due yet" and make it due (and count it) again
                .chain(() -> c.preparedQuery("with matching as (select id, status" + RANGE + " limit $5::int + 1),"
                        + " fits as (select (select count(*) from matching) <= $5 as ok),"
                        + " requeued as (update dispatcher.deliveries d set status = 'pending', next_attempt_at = $6,"
                        + " finished_at = null, claimed_until = null from matching m where (select ok from fits)"
                        // d.status again: a row changed since the snapshot (redelivered, say) is left alone
                        + " and d.id = m.id and m.status in ('failed', 'expired')"
                        + " and d.status in ('failed', 'expired') returning 1),"
                        // a pending one waiting for its retry (not one in flight: its attempt decides)
                        + " hurried as (update dispatcher.deliveries d set next_attempt_at = $6 from matching m"
                        + " where (select ok from fits) and d.id = m.id and m.status = 'pending'"
                        + " and d.next_attempt_at > $6 and (d.claimed_until is null or d.claimed_until < $6)"
                        + " returning 1)" + " select (select count(*) from matching), (select count(*) from requeued)"
                        + " + (select count(*) from hurried), (select count(*) from dispatcher.deliveries"
                        + " where webhook_id = $2 and status = 'held' and created_at >= $3 and created_at < $4)")
                        .execute(Tuple.from(
                                new Object[] { environment, webhookId, at(since), at(to), max, at(Instant.now()) })))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Outcome(r.getLong(1).intValue(), r.getLong(2), r.getLong(0) > max);
                });
    }

    /** How many a recover of [since, to) would send, and where a first one holding at most {@code max} should end. */
    public Uni<DeliveryStore.RangeSize> rangeSize(String environment, String webhookId, Instant since, Instant to,
            int max) {
        return pool
                .preparedQuery("select (select count(*)" + RANGE + "), (select created_at" + RANGE
                        + " order by created_at offset $5 limit 1)")
                .execute(Tuple.of(environment, webhookId, at(since), at(to), max)).map(rows -> {
                    Row r = rows.iterator().next();
                    Instant split = instant(r.getOffsetDateTime(1));
                    return new DeliveryStore.RangeSize(r.getLong(0),
                            split == null || !split.isAfter(since) ? null : split);
                });
    }
}
