package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.at;
import static io.keyhook.dispatcher.persistence.Timestamps.instant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code dispatcher.webhook_gaps} and {@code dispatcher.webhook_gap_recoveries}: the records each webhook missed, and
 * whether a recovery is yet to be announced. Writes take the caller's transaction (the one that records the delivery's
 * outcome); the service layer ({@code GapManifest}) opens it.
 */
@ApplicationScoped
public class GapEntries {

    @Inject
    Pool pool;

    /** A delivery that just ended failed or expired, as the manifest needs it. */
    public record Ended(String deliveryId, String webhookId, String environment, String eventId, String type,
            String orderingKey, String body, long sequence, Instant createdAt, String status) {
    }

    /** The deliveries among {@code ids} that are failed or expired now, in sequence order. */
    public Uni<List<Ended>> ended(SqlClient c, List<String> ids) {
        return c.preparedQuery("select id, webhook_id, environment, event_id, type, ordering_key, body, sequence,"
                + " created_at, status from dispatcher.deliveries where id = any($1)"
                + " and status in ('failed', 'expired') order by sequence")
                .execute(Tuple.of(ids.toArray(String[]::new))).map(rows -> {
                    List<Ended> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Ended(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                                r.getString(4), r.getString(5), r.getString(6), r.getLong(7),
                                instant(r.getOffsetDateTime(8)), r.getString(9)));
                    }
                    return out;
                });
    }

    /** One manifest entry to record: {@code e}'s record, named by the resource its body carries. */
    public record NewEntry(Ended e, String resource, String resourceId) {
    }

    /**
     * Upserts one entry per (webhook, record), keeping the latest event (by sequence); an entry resolved by an event
     * newer than this one stays resolved. Then marks each webhook whose manifest changed as having a recovery to
     * announce. {@code entries} must hold one entry per (webhook, record) (ON CONFLICT takes a row once).
     */
    public Uni<Void> record(SqlClient c, List<NewEntry> entries, Instant now) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = entries.size();
        String[] webhook = new String[n], env = new String[n], key = new String[n], resource = new String[n],
                resourceId = new String[n], type = new String[n], eventId = new String[n], reason = new String[n],
                delivery = new String[n];
        java.time.OffsetDateTime[] eventAt = new java.time.OffsetDateTime[n];
        Long[] sequence = new Long[n];
        for (int i = 0; i < n; i++) {
            NewEntry x = entries.get(i);
            webhook[i] = x.e().webhookId();
            env[i] = x.e().environment();
            key[i] = x.e().orderingKey();
            resource[i] = x.resource();
            resourceId[i] = x.resourceId();
            type[i] = x.e().type();
            eventAt[i] = at(x.e().createdAt());
            eventId[i] = x.e().eventId();
            sequence[i] = x.e().sequence();
            reason[i] = x.e().status();
            delivery[i] = x.e().deliveryId();
        }
        return c.preparedQuery("insert into dispatcher.webhook_gaps as g (webhook_id, environment, ordering_key,"
                + " resource, resource_id, type, last_event_at, last_event_id, last_sequence, reason, delivery_id,"
                + " recorded_at) select u.*, $12::timestamptz from unnest($1::text[], $2::text[], $3::text[],"
                + " $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::bigint[], $10::text[],"
                + " $11::text[]) as u on conflict (webhook_id, ordering_key) do update set resource = excluded.resource,"
                + " resource_id = excluded.resource_id, type = excluded.type, last_event_at = excluded.last_event_at,"
                + " last_event_id = excluded.last_event_id, last_sequence = excluded.last_sequence,"
                + " reason = excluded.reason, delivery_id = excluded.delivery_id, recorded_at = excluded.recorded_at,"
                + " resolved_at = null, resolved_sequence = null"
                // an older event than the one kept, or than the one that resolved the entry, changes nothing
                + " where excluded.last_sequence >= g.last_sequence"
                + " and (g.resolved_sequence is null or excluded.last_sequence > g.resolved_sequence)"
                + " returning g.webhook_id, g.environment, g.last_sequence")
                .execute(Tuple.from(new Object[] { webhook, env, key, resource, resourceId, type, eventAt, eventId,
                        sequence, reason, delivery, at(now) }))
                .chain(rows -> {
                    Map<String, Object[]> changed = new LinkedHashMap<>();
                    for (Row r : rows) {
                        changed.merge(r.getString(0), new Object[] { r.getString(1), r.getLong(2) },
                                (a, b) -> (Long) a[1] >= (Long) b[1] ? a : b);
                    }
                    return pending(c, changed, now);
                });
    }

    private Uni<Void> pending(SqlClient c, Map<String, Object[]> changed, Instant now) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] webhook = changed.keySet().toArray(String[]::new);
        String[] env = changed.values().stream().map(v -> (String) v[0]).toArray(String[]::new);
        Long[] sequence = changed.values().stream().map(v -> (Long) v[1]).toArray(Long[]::new);
        return c.preparedQuery("insert into dispatcher.webhook_gap_recoveries as r (webhook_id, environment, pending,"
                + " last_recorded_sequence, updated_at) select u.webhook_id, u.environment, true, u.seq, $4"
                + " from unnest($1::text[], $2::text[], $3::bigint[]) as u(webhook_id, environment, seq)"
                + " order by u.webhook_id on conflict (webhook_id) do update set pending = true,"
                + " last_recorded_sequence = greatest(r.last_recorded_sequence, excluded.last_recorded_sequence),"
                + " updated_at = excluded.updated_at").execute(Tuple.of(webhook, env, sequence, at(now)))
                .replaceWithVoid();
    }

    /**
     * A delivered event resolves its record's open entry when it is newer than the entry's last missed event: the
     * receiver has the record's latest state. Reads only the open entries of these records (usually none).
     */
    public Uni<Void> resolve(SqlClient c, String[] deliveryIds, String[] webhookIds, String[] orderingKeys,
            Instant now) {
        return c.preparedQuery("with hit as materialized (select u.id, g.webhook_id, g.ordering_key, g.last_sequence"
                + " from unnest($1::text[], $2::text[], $3::text[]) as u(id, webhook_id, ordering_key)"
                + " join dispatcher.webhook_gaps g on g.webhook_id = u.webhook_id and g.ordering_key = u.ordering_key"
                + " and g.resolved_at is null)"
                + " update dispatcher.webhook_gaps g set resolved_at = $4, resolved_sequence = d.sequence"
                + " from hit join dispatcher.deliveries d on d.id = hit.id where g.webhook_id = hit.webhook_id"
                + " and g.ordering_key = hit.ordering_key and g.resolved_at is null and d.sequence > hit.last_sequence")
                .execute(Tuple.of(deliveryIds, webhookIds, orderingKeys, at(now))).replaceWithVoid();
    }

    /** A recovery to announce: the webhook's open entries now. */
    public record Recovery(String webhookId, String environment, long lastRecordedSequence, long gapCount,
            Instant since) {
    }

    /**
     * For webhooks that just delivered: clears each one's pending recovery with a conditional update of its one row, so
     * of two transactions at once only the first finds it pending (the second waits for its lock, then sees it
     * cleared); emits the cleared ones with their open entries' count and earliest last-event time.
     */
    public Uni<List<Recovery>> clearPending(SqlClient c, String[] webhookIds, Instant now) {
        return c.preparedQuery("with cleared as (update dispatcher.webhook_gap_recoveries set pending = false,"
                + " updated_at = $2 where webhook_id = any($1) and pending"
                + " returning webhook_id, environment, last_recorded_sequence)"
                + " select c.webhook_id, c.environment, c.last_recorded_sequence, count(g.webhook_id),"
                + " min(g.last_event_at) from cleared c left join dispatcher.webhook_gaps g"
                + " on g.webhook_id = c.webhook_id and g.resolved_at is null"
                + " group by c.webhook_id, c.environment, c.last_recorded_sequence")
                .execute(Tuple.of(webhookIds, at(now))).map(rows -> {
                    List<Recovery> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Recovery(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3),
                                instant(r.getOffsetDateTime(4))));
                    }
                    return out;
                });
    }

    /** One entry as the manifest shows it. */
    public record Entry(String resource, String resourceId, String type, Instant lastEventAt, String lastEventId,
            String reason, String deliveryId, Instant resolvedAt, String orderingKey) {
    }

    /**
     * A page of a webhook's manifest, oldest last event first, entries after the keyset ({@code afterAt},
     * {@code afterKey}) when given. An entry updated by a newer failure moves ahead of a reader's cursor, never behind
     * it, so paging loses nothing.
     */
    public Uni<List<Entry>> page(String environment, String webhookId, Instant since, Instant afterAt, String afterKey,
            boolean includeResolved, int limit) {
        return pool
                .preparedQuery("select resource, resource_id, type, last_event_at, last_event_id, reason,"
                        + " delivery_id, resolved_at, ordering_key from dispatcher.webhook_gaps where webhook_id = $1"
                        + " and environment = $2 and last_event_at >= $3 and ($4 or resolved_at is null)"
                        + " and ($5::timestamptz is null or (last_event_at, ordering_key) > ($5, $6))"
                        + " order by last_event_at, ordering_key limit $7")
                .execute(Tuple.from(new Object[] { webhookId, environment, at(since), includeResolved, at(afterAt),
                        afterKey, limit }))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Entry(r.getString(0), r.getString(1), r.getString(2),
                                instant(r.getOffsetDateTime(3)), r.getString(4), r.getString(5), r.getString(6),
                                instant(r.getOffsetDateTime(7)), r.getString(8)));
                    }
                    return out;
                });
    }

    /** Removes up to {@code limit} entries recorded before {@code before} (the delivery log's retention). */
    public Uni<Integer> prune(Instant before, int limit) {
        return pool.preparedQuery("delete from dispatcher.webhook_gaps where (webhook_id, ordering_key) in"
                + " (select webhook_id, ordering_key from dispatcher.webhook_gaps where recorded_at < $1 limit $2)")
                .execute(Tuple.of(at(before), limit)).map(r -> r.rowCount())
                // a recovery row with nothing left to announce and no entry is forgotten
                .call(n -> pool.preparedQuery("delete from dispatcher.webhook_gap_recoveries r where not r.pending"
                        + " and not exists (select 1 from dispatcher.webhook_gaps g where g.webhook_id = r.webhook_id)")
                        .execute());
    }

    /**
     * Keeps at most {@code max} entries per webhook: beyond it the resolved ones go first, then the oldest open ones.
     * Emits how many went.
     */
    public Uni<Integer> cap(int max) {
        return pool.preparedQuery("delete from dispatcher.webhook_gaps g using (select webhook_id, ordering_key from"
                + " (select webhook_id, ordering_key, row_number() over (partition by webhook_id"
                + " order by (resolved_at is null) desc, last_event_at desc, ordering_key desc) as nth"
                + " from dispatcher.webhook_gaps where webhook_id in (select webhook_id from dispatcher.webhook_gaps"
                + " group by webhook_id having count(*) > $1)) ranked where ranked.nth > $1) x"
                + " where g.webhook_id = x.webhook_id and g.ordering_key = x.ordering_key").execute(Tuple.of(max))
                .map(r -> r.rowCount());
    }
}
