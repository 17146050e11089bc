package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.at;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** What the delivery log keeps, and for how long: held deliveries expire, finished ones are pruned. */
@ApplicationScoped
public class DeliveryRetention {

    @Inject
    Pool pool;

    /**
     * Held deliveries older than the retention expire (a paused webhook cannot hold events forever), in the caller's
     * transaction, at most {@code limit}; emits each one this call expired (another replica's round expires none of
     * them again).
     */
    public Uni<List<LogEntry>> expireHeld(SqlClient c, Instant createdBefore, int limit) {
        Instant now = Instant.now();
        return c.preparedQuery("update dispatcher.deliveries set status = 'expired', finished_at = $2"
                + " where id in (select id from dispatcher.deliveries where status = 'held' and created_at < $1"
                + " limit $3 for update skip locked) and status = 'held' returning *")
                .execute(Tuple.of(at(createdBefore), at(now), limit)).map(rows -> {
                    List<LogEntry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new LogEntry(DeliveryRow.of(r), "expired", r.getInteger("attempts"), null,
                                r.getInteger("last_status"), r.getString("last_error"), now, null));
                    }
                    return out;
                });
    }

    /** Removes up to {@code limit} finished deliveries (with their attempts) finished before {@code before}. */
    public Uni<Integer> pruneFinished(Instant before, int limit) {
        return pool
                .preparedQuery("delete from dispatcher.deliveries where id in (select id from dispatcher.deliveries"
                        + " where status in ('delivered', 'failed', 'expired') and finished_at < $1 limit $2)")
                .execute(Tuple.of(at(before), limit)).map(r -> r.rowCount());
    }

    /**
     * Removes up to {@code limit} successful deliveries finished before {@code before} (their attempts go with them).
     */
    public Uni<Integer> pruneDelivered(Instant before, int limit) {
        return pool
                .preparedQuery("delete from dispatcher.deliveries where id in (select id from dispatcher.deliveries"
                        + " where status = 'delivered' and finished_at < $1 limit $2)")
                .execute(Tuple.of(at(before), limit)).map(r -> r.rowCount());
    }

    /** Deliveries waiting for a retry, and held ones (gauges). */
    public Uni<long[]> backlog() {
        // each count reads only its partial index, never the whole delivery log
        return pool
                .query("select (select count(*) from dispatcher.deliveries where status = 'pending'"
                        + " and attempts > 0), (select count(*) from dispatcher.deliveries where status = 'held')")
                .execute().map(rows -> {
                    Row r = rows.iterator().next();
                    return new long[] { r.getLong(0), r.getLong(1) };
                });
    }
}
