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

    /** Held deliveries older than the retention expire (a paused webhook cannot hold events forever). */
    public Uni<Integer> expireHeld(Instant createdBefore) {
        return pool.withTransaction(c -> expireHeld(c, createdBefore)).map(List::size);
    }

    /** The same in the caller's transaction; emits the ids of the deliveries that expired. */
    public Uni<List<String>> expireHeld(SqlClient c, Instant createdBefore) {
        return c.preparedQuery("update dispatcher.deliveries set status = 'expired', finished_at = $2"
                + " where status = 'held' and created_at < $1 returning id")
                .execute(Tuple.of(at(createdBefore), at(Instant.now()))).map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString(0)));
                    return ids;
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
