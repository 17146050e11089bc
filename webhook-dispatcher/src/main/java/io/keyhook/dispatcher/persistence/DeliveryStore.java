package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.at;
import static io.keyhook.dispatcher.persistence.Timestamps.instant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code dispatcher.deliveries} and {@code dispatcher.attempts} as a queue: what is owed, claimed, attempted, held,
 * sent again. Statements that must go together take the caller's transaction ({@link SqlClient}); the service layer
 * opens it. The delivery log's reads are {@link DeliveryLog}'s, its pruning {@link DeliveryRetention}'s.
 */
@ApplicationScoped
public class DeliveryStore {

    @Inject
    Pool pool;

    /** What the store already knows about a batch of new deliveries. */
    public record Known(Set<String> openRecords, Set<String> existing) {

        public static String recordKey(DeliveryRow d) {
            return d.webhookId() + '\n' + d.orderingKey();
        }

        public static String eventKey(DeliveryRow d) {
            return d.webhookId() + '\n' + d.eventId();
        }
    }

    /**
     * For new deliveries: which (webhook, event) pairs are stored already (a record read again after a crash or a
     * rebalance), and which (webhook, record) pairs have an open stored delivery (so a new one must queue behind it).
     */
    public Uni<Known> known(List<DeliveryRow> rows, boolean perRecord) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(new Known(Set.of(), Set.of()));
        }
        String[] webhooks = rows.stream().map(DeliveryRow::webhookId).toArray(String[]::new);
        String[] events = rows.stream().map(DeliveryRow::eventId).toArray(String[]::new);
        String[] keys = rows.stream().map(DeliveryRow::orderingKey).toArray(String[]::new);
        Uni<Set<String>> existing = pool
                .preparedQuery("select webhook_id, event_id from dispatcher.deliveries where (webhook_id, event_id)"
                        + " in (select * from unnest($1::text[], $2::text[]))")
                .execute(Tuple.of(webhooks, events)).map(r -> {
                    Set<String> out = new HashSet<>();
                    r.forEach(row -> out.add(row.getString(0) + '\n' + row.getString(1)));
                    return out;
                });
        Uni<Set<String>> open = !perRecord ? Uni.createFrom().item(Set.of())
                : pool.preparedQuery("select distinct webhook_id, ordering_key from dispatcher.deliveries"
                        + " where status in ('pending', 'held') and (webhook_id, ordering_key)"
                        + " in (select * from unnest($1::text[], $2::text[]))").execute(Tuple.of(webhooks, keys))
                        .map(r -> {
                            Set<String> out = new HashSet<>();
                            r.forEach(row -> out.add(row.getString(0) + '\n' + row.getString(1)));
                            return out;
                        });
        return Uni.combine().all().unis(open, existing).asTuple().map(t -> new Known(t.getItem1(), t.getItem2()));
    }

    /**
     * Claims due deliveries for {@code claimFor}: pending, due, not claimed by a live instance, and — the ordering
     * promise — with no earlier open delivery of the same record to the same webhook. Oldest queue position first
     * ({@code queue_position}, else {@code sequence}: a replayed delivery queues behind what was pending before it),
     * and never more for one webhook than its free slots: {@code freeSlots} for webhooks with attempts in flight (0:
     * full or breaker open), {@code perWebhook} for the others. So one webhook's backlog (a replay of thousands, say)
     * fills only its own slots and the rest of the batch goes to the other webhooks. Concurrent instances skip each
     * other's rows. In the caller's transaction: the rows stay locked until it ends.
     */
    public Uni<List<DeliveryRow>> claim(SqlClient c, int limit, Map<String, Integer> freeSlots, int perWebhook,
            Duration claimFor) {
        Instant now = Instant.now();
        List<String> full = new ArrayList<>();
        List<String> busy = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        freeSlots.forEach((webhook, slots) -> {
            if (slots <= 0) {
                full.add(webhook);
            } else {
                busy.add(webhook);
                free.add(slots);
            }
        });
        // candidates: a few batches' worth in queue order (locked, so instances do not claim the same), then at most
        // each webhook's free slots of them
        return c.preparedQuery("update dispatcher.deliveries set claimed_until = $3"
                + " where id in (select ranked.id from (select cand.id, cand.webhook_id, cand.position,"
                + " row_number() over (partition by cand.webhook_id order by cand.position) as nth"
                + " from (select d.id, d.webhook_id, coalesce(d.queue_position, d.sequence) as position"
                + " from dispatcher.deliveries d where d.status = 'pending'"
                + " and d.next_attempt_at <= $1 and (d.claimed_until is null or d.claimed_until < $1)"
                + " and not (d.webhook_id = any($4))"
                + " and not exists (select 1 from dispatcher.deliveries e where e.webhook_id = d.webhook_id"
                + " and e.ordering_key = d.ordering_key and e.status in ('pending', 'held')"
                + " and coalesce(e.queue_position, e.sequence) < coalesce(d.queue_position, d.sequence))"
                + " order by position limit $5 for update of d skip locked) cand) ranked"
                + " left join unnest($6::text[], $7::int[]) as busy(webhook_id, free)"
                + " on busy.webhook_id = ranked.webhook_id"
                + " where ranked.nth <= coalesce(busy.free, $8) order by ranked.position limit $2) returning *")
                .execute(Tuple.from(new Object[] { at(now), limit, at(now.plus(claimFor)), full.toArray(String[]::new),
                        limit * 4, busy.toArray(String[]::new), free.toArray(Integer[]::new), perWebhook }))
                .map(rows -> {
                    List<DeliveryRow> out = new ArrayList<>();
                    Map<DeliveryRow, Long> position = new IdentityHashMap<>();
                    rows.forEach(r -> {
                        DeliveryRow d = DeliveryRow.of(r);
                        Long queued = r.getLong("queue_position");
                        position.put(d, queued == null ? d.sequence() : queued);
                        out.add(d);
                    });
                    out.sort(Comparator.comparingLong(position::get));
                    return out;
                });
    }

    /** One attempt's outcome: delivered, retry at {@code nextAttemptAt}, or failed for good. */
    public record Outcome(String status, Instant nextAttemptAt, Integer statusCode, String error, String response,
            int latencyMs) {
    }

    /**
     * Records an attempt and the delivery's new state, in the caller's transaction (the two rows go together). Emits
     * whether the attempt is new: false when it was recorded before (a lapsed claim recorded twice), so what its
     * outcome causes (an operational event) happens once.
     */
    public Uni<Boolean> recordAttempt(SqlClient c, DeliveryRow d, int attempt, Instant startedAt, Outcome o) {
        boolean finished = !DeliveryRow.PENDING.equals(o.status());
        return c.preparedQuery("insert into dispatcher.attempts (delivery_id, attempt,"
                + " started_at, latency_ms, status_code, error, response) values ($1, $2, $3, $4, $5, $6, $7)"
                + " on conflict do nothing")
                .execute(Tuple.from(new Object[] {
                        d.id(), attempt, at(startedAt), o.latencyMs(), o.statusCode(), o.error(), o.response() }))
                .map(r -> r.rowCount() == 1)
                .call(() -> c
                        .preparedQuery("update dispatcher.deliveries set status = $2, attempts = $3,"
                                + " next_attempt_at = $4, last_status = $5, last_error = $6, claimed_until = null,"
                                + " finished_at = $7 where id = $1")
                        .execute(Tuple.from(new Object[] { d.id(), o.status(), attempt, at(o.nextAttemptAt()),
                                o.statusCode(), o.error(), finished ? at(Instant.now()) : null })));
    }

    /**
     * Pause holds everything: a claimed delivery (a retry, a spilled one, a redelivery, a replay) of a webhook that is
     * paused goes back to {@code held} unattempted, keeping its place in the order. Emits whether it did.
     */
    public Uni<Boolean> hold(String id) {
        return pool.preparedQuery("update dispatcher.deliveries set status = 'held', claimed_until = null"
                + " where id = $1 and status = 'pending'").execute(Tuple.of(id)).map(r -> r.rowCount() == 1);
    }

    /** The webhooks that have held deliveries (reads only the partial index of held rows). */
    public Uni<List<String>> webhooksWithHeld() {
        return pool.query("select distinct webhook_id from dispatcher.deliveries where status = 'held'").execute()
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /** Resume: a webhook's held deliveries become due, in their original order. */
    public Uni<Integer> releaseHeld(String webhookId) {
        return pool
                .preparedQuery("update dispatcher.deliveries set status = 'pending', next_attempt_at = $2"
                        + " where webhook_id = $1 and status = 'held'")
                .execute(Tuple.of(webhookId, at(Instant.now()))).map(r -> r.rowCount());
    }

    /**
     * Redelivery: a delivered or failed delivery becomes due again (same body, same webhook-id, new attempts after the
     * old ones). Emits whether it was in such a state.
     */
    public Uni<Boolean> redeliver(String id) {
        return pool.preparedQuery("update dispatcher.deliveries set status = 'pending', next_attempt_at = $2,"
                + " finished_at = null, claimed_until = null where id = $1 and status in ('delivered', 'failed')")
                .execute(Tuple.of(id, at(Instant.now()))).map(r -> r.rowCount() == 1);
    }

    /**
     * Attempt now: a pending delivery becomes due at once instead of at its scheduled retry (an admin fixed the
     * receiver). A claimed one is left to its attempt in flight. The ordering promise still holds: the claim never
     * takes it ahead of an earlier open delivery of the same record. Emits whether it was pending.
     */
    public Uni<Boolean> attemptNow(String id) {
        Instant now = Instant.now();
        return pool.preparedQuery("update dispatcher.deliveries set next_attempt_at = $2 where id = $1"
                + " and status = 'pending' and (claimed_until is null or claimed_until < $2) and next_attempt_at > $2")
                .execute(Tuple.of(id, at(now)))
                .chain(r -> r.rowCount() == 1 ? Uni.createFrom().item(true)
                        : pool.preparedQuery("select 1 from dispatcher.deliveries where id = $1 and status = 'pending'")
                                .execute(Tuple.of(id)).map(rows -> rows.size() == 1));
    }

    /** What a replay did: how many it queued again, or nothing because the range holds more than the bound. */
    public record ReplayOutcome(int replayed, boolean tooLarge) {
    }

    /**
     * Replay: every delivered or failed delivery to the webhook created in [from, to) is sent again (same body and
     * webhook-id, new attempts) — if there are at most {@code max}; otherwise nothing is queued. The count and the
     * re-queue are one statement (one snapshot), so a race cannot take a replay past the bound. Replayed deliveries
     * queue behind what the webhook has pending, in their original order: each gets a new queue position from the
     * deliveries' sequence, taken in sequence order. Replays of one webhook take turns (a transaction-scoped advisory
     * lock, held until the caller's transaction ends): two at once of the same range queue each delivery once, and
     * never deadlock on each other's rows.
     */
    public Uni<ReplayOutcome> replay(SqlClient c, String environment, String webhookId, Instant from, Instant to,
            int max) {
        return c.preparedQuery("select pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of(replayLock(webhookId)))
                .chain(() -> c.preparedQuery("with matching as (select id, sequence from dispatcher.deliveries"
                        + " where environment = $1 and webhook_id = $2 and created_at >= $3 and created_at < $4"
                        + " and status in ('delivered', 'failed') limit $5::int + 1),"
                        // the subquery's order is the order nextval is taken in
                        + " queued as (select m.id, nextval('dispatcher.deliveries_sequence_seq') as position"
                        + " from (select id from matching where (select count(*) from matching) <= $5"
                        + " order by sequence) m),"
                        + " requeued as (update dispatcher.deliveries d set status = 'pending', next_attempt_at = $6,"
                        + " finished_at = null, claimed_until = null, queue_position = q.position from queued q"
                        + " where d.id = q.id and d.status in ('delivered', 'failed') returning 1)"
                        + " select (select count(*) from matching), (select count(*) from requeued)")
                        .execute(Tuple.from(
                                new Object[] { environment, webhookId, at(from), at(to), max, at(Instant.now()) })))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new ReplayOutcome(r.getLong(1).intValue(), r.getLong(0) > max);
                });
    }

    /** The advisory lock replays and recovers of one webhook take turns on. */
    static String replayLock(String webhookId) {
        return "keyhook-dispatcher-replay/" + webhookId;
    }

    /**
     * How many deliveries a replay of [from, to) would send again, and where to end a first, smaller replay: the
     * creation time of the {@code (max + 1)}-th, so that [from, splitAt) holds at most {@code max}. Null when that is
     * {@code from} itself (more than {@code max} created at the same instant).
     */
    public record RangeSize(long count, Instant splitAt) {
    }

    public Uni<RangeSize> rangeSize(String environment, String webhookId, Instant from, Instant to, int max) {
        String range = " from dispatcher.deliveries where environment = $1 and webhook_id = $2 and created_at >= $3"
                + " and created_at < $4 and status in ('delivered', 'failed')";
        return pool
                .preparedQuery("select (select count(*)" + range + "), (select created_at" + range
                        + " order by created_at offset $5 limit 1)")
                .execute(Tuple.of(environment, webhookId, at(from), at(to), max)).map(rows -> {
                    Row r = rows.iterator().next();
                    Instant split = instant(r.getOffsetDateTime(1));
                    return new RangeSize(r.getLong(0), split == null || !split.isAfter(from) ? null : split);
                });
    }

    /** Counts by status (metrics, tests). */
    public Uni<Long> count(String webhookId, String status) {
        return pool.preparedQuery("select count(*) from dispatcher.deliveries where webhook_id = $1 and status = $2")
                .execute(Tuple.of(webhookId, status)).map(rows -> rows.iterator().next().getLong(0));
    }
}
