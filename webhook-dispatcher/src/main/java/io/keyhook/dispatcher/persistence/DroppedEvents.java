package io.keyhook.dispatcher.persistence;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code dropped_events}: how many events of each Environment became no delivery, by reason and type, for the
 * Environment's admins (the Prometheus counter has the reason only, for the whole suite). Counted in memory on the
 * routing path and added to the table every few seconds by each replica ({@code count = count + delta}); a flush that
 * fails keeps its counts for the next one.
 */
@ApplicationScoped
public class DroppedEvents {

    private static final Logger LOG = Logger.getLogger(DroppedEvents.class);

    /** What one Environment lost, and since when. {@code type} is empty when the reason has none. */
    public record Count(String reason, String type, long count, Instant firstAt, Instant lastAt) {
    }

    private record Key(String environment, String reason, String type) {
    }

    private static final class Tally {
        long count;
        Instant firstAt = Instant.now();
        Instant lastAt = firstAt;
    }

    @Inject
    Pool pool;

    // swapped whole under the lock by each flush, so no count lands in a map already taken
    private Map<Key, Tally> pending = new HashMap<>();

    /** One event of a known Environment became no delivery. */
    public synchronized void count(String environment, String reason, String type) {
        Tally t = pending.computeIfAbsent(new Key(environment, reason, type == null ? "" : type), k -> new Tally());
        t.count++;
        t.lastAt = Instant.now();
    }

    private synchronized Map<Key, Tally> take() {
        Map<Key, Tally> taken = pending;
        pending = new HashMap<>();
        return taken;
    }

    private synchronized void putBack(Map<Key, Tally> taken) {
        taken.forEach((k, t) -> {
            Tally back = pending.computeIfAbsent(k, x -> new Tally());
            back.count += t.count;
            if (t.firstAt.isBefore(back.firstAt)) {
                back.firstAt = t.firstAt;
            }
        });
    }

    @Scheduled(every = "${keyhook.dispatcher.dropped-events-flush:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        return write();
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            write().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Could not add the last dropped-event counts (%s)", e.toString());
        }
    }

    private Uni<Void> write() {
        Map<Key, Tally> taken = take();
        if (taken.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        taken.forEach((k, t) -> batch
                .add(Tuple.of(k.environment(), k.reason(), k.type(), t.count, utc(t.firstAt), utc(t.lastAt))));
        return pool.preparedQuery(
                "INSERT INTO dispatcher.dropped_events AS d (environment, reason, type, count, first_at, last_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (environment, reason, type) DO UPDATE SET "
                        + "count = d.count + excluded.count, last_at = GREATEST(d.last_at, excluded.last_at)")
                .executeBatch(batch).replaceWithVoid().onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not add %d dropped-event counts yet (%s); keeping them for the next flush",
                            batch.size(), e.toString());
                    putBack(taken);
                    return Uni.createFrom().voidItem();
                });
    }

    /** An Environment's counts, most recent first. */
    public Uni<List<Count>> of(String environment) {
        return pool
                .preparedQuery("SELECT reason, type, count, first_at, last_at FROM dispatcher.dropped_events "
                        + "WHERE environment = $1 ORDER BY last_at DESC, reason, type")
                .execute(Tuple.of(environment)).map(rows -> {
                    List<Count> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Count(r.getString("reason"), r.getString("type"), r.getLong("count"),
                                r.getOffsetDateTime("first_at").toInstant(),
                                r.getOffsetDateTime("last_at").toInstant()));
                    }
                    return out;
                });
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
