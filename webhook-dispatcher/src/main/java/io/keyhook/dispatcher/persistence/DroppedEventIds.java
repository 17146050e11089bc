package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.at;
import static io.keyhook.dispatcher.persistence.Timestamps.instant;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.keyhook.common.sql.SqlFailures;
import io.keyhook.core.text.SafeText;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code dropped_event_ids}: each event that became no delivery (dropped, or dead-lettered with a readable id), by
 * Environment and event id, so a data service can follow its event ({@code GET .../events/{eventId}}) for the log
 * retention. Kept in memory on the routing path (bounded: a flood past {@code trail.max-buffered} loses ids, never the
 * counts of {@link DroppedEvents}) and written every {@code dropped-events-flush} in one statement per flush.
 */
@ApplicationScoped
public class DroppedEventIds {

    private static final Logger LOG = Logger.getLogger(DroppedEventIds.class);
    private static final int MAX_DETAIL = 300;
    // the parser allows 1024; a trail entry keeps the record's ids only up to this, so the buffer stays small
    private static final int MAX_KEPT_ID = 256;

    public static final String DROPPED = "dropped";
    public static final String DEAD_LETTERED = "dead_lettered";

    /** One event that went nowhere. Every text is the publisher's, already validated by the parser. */
    public record Dropped(String environment, String eventId, String disposition, String reason, String detail,
            String type, String subject, String resourceId, Instant receivedAt) {
    }

    private final Pool pool;
    private final int maxBuffered;
    private final Duration retention;
    private final Counter discarded;
    private List<Dropped> pending = new ArrayList<>();

    DroppedEventIds(Pool pool, DispatcherConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.maxBuffered = config.trail().maxBuffered();
        this.retention = config.delivery().logRetention();
        this.discarded = Counter.builder("keyhook.dispatcher.dropped_ids.discarded")
                .description("Dropped or dead-lettered event ids not kept: the buffer between two writes was full")
                .register(registry);
    }

    /** Keeps one event's id (written with the next flush). */
    public synchronized void record(Dropped d) {
        if (pending.size() >= maxBuffered) {
            discarded.increment();
            return;
        }
        pending.add(new Dropped(d.environment(), d.eventId(), d.disposition(), d.reason(),
                SafeText.sanitize(d.detail(), MAX_DETAIL), d.type(), shortOrNull(d.subject()),
                shortOrNull(d.resourceId()), d.receivedAt()));
    }

    private static String shortOrNull(String id) {
        return id == null || id.length() > MAX_KEPT_ID ? null : id;
    }

    /** Ids waiting for the next write (tests). */
    synchronized int buffered() {
        return pending.size();
    }

    private synchronized List<Dropped> take() {
        List<Dropped> taken = pending;
        pending = new ArrayList<>();
        return taken;
    }

    private synchronized void putBack(List<Dropped> taken) {
        int room = Math.max(0, maxBuffered - pending.size());
        pending.addAll(taken.subList(0, Math.min(room, taken.size())));
        if (taken.size() > room) {
            discarded.increment(taken.size() - room);
        }
    }

    @Scheduled(every = "${keyhook.dispatcher.dropped-events-flush:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        List<Dropped> taken = take();
        if (taken.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return insert(taken).onFailure().recoverWithUni(e -> {
            if (SqlFailures.isRowLevel(e) && taken.size() > 1) {
                // one row PostgreSQL refuses must not lose the others: row by row, the refused one dropped
                return Uni.join().all(taken.stream().map(d -> insert(List.of(d)).onFailure().recoverWithUni(x -> {
                    LOG.warnf("A dropped event id was refused by PostgreSQL (SQLSTATE %s); not kept",
                            SqlFailures.sqlState(x));
                    return Uni.createFrom().voidItem();
                })).toList()).andCollectFailures().replaceWithVoid();
            }
            if (!SqlFailures.isRowLevel(e)) {
                LOG.warnf("Could not write %d dropped event ids yet (%s); keeping them for the next flush",
                        taken.size(), e.toString());
                putBack(taken);
            }
            return Uni.createFrom().voidItem();
        });
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            flush().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Could not write the last dropped event ids (%s)", e.toString());
        }
    }

    private Uni<Void> insert(List<Dropped> batch) {
        int n = batch.size();
        String[] env = new String[n], id = new String[n], disposition = new String[n], reason = new String[n],
                detail = new String[n], type = new String[n], subject = new String[n], resource = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Dropped d = batch.get(i);
            env[i] = d.environment();
            id[i] = d.eventId();
            disposition[i] = d.disposition();
            reason[i] = d.reason();
            detail[i] = d.detail();
            type[i] = d.type();
            subject[i] = d.subject();
            resource[i] = d.resourceId();
            received[i] = at(d.receivedAt());
        }
        return pool
                .preparedQuery("insert into dispatcher.dropped_event_ids (environment, event_id, disposition,"
                        + " reason, detail, type, subject, resource_id, received_at) select * from unnest($1::text[],"
                        + " $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
                        + " $9::timestamptz[]) on conflict (environment, event_id) do nothing")
                .execute(Tuple
                        .from(new Object[] { env, id, disposition, reason, detail, type, subject, resource, received }))
                .replaceWithVoid();
    }

    /** Removes up to {@code limit} ids received before {@code before} (the log retention), every 10 minutes. */
    public Uni<Integer> prune(Instant before, int limit) {
        return pool.preparedQuery("delete from dispatcher.dropped_event_ids where (environment, event_id) in"
                + " (select environment, event_id from dispatcher.dropped_event_ids where received_at < $1"
                + " limit $2)").execute(Tuple.of(at(before), limit)).map(r -> r.rowCount());
    }

    /** The event {@code eventId} of {@code environment} if it went nowhere, else null. */
    public Uni<Dropped> find(String environment, String eventId) {
        return pool.preparedQuery("select * from dispatcher.dropped_event_ids where environment = $1 and event_id = $2")
                .execute(Tuple.of(environment, eventId))
                .map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
    }

    /** A page of the Environment's dropped event ids, newest first: up to {@code limit} below {@code beforeSeq}. */
    public Uni<List<Listed>> recent(String environment, String reason, Long beforeSeq, int limit) {
        return pool
                .preparedQuery("select * from dispatcher.dropped_event_ids where environment = $1"
                        + " and ($2::text is null or reason = $2) and ($3::bigint is null or seq < $3)"
                        + " order by seq desc limit $4")
                .execute(Tuple.of(environment, reason, beforeSeq, limit)).map(rows -> {
                    List<Listed> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Listed(r.getLong("seq"), of(r))));
                    return out;
                });
    }

    /** A row of {@link #recent} with its keyset position. */
    public record Listed(long seq, Dropped dropped) {
    }

    private static Dropped of(Row r) {
        return new Dropped(r.getString("environment"), r.getString("event_id"), r.getString("disposition"),
                r.getString("reason"), r.getString("detail"), r.getString("type"), r.getString("subject"),
                r.getString("resource_id"), instant(r.getOffsetDateTime("received_at")));
    }

    /** Dropped ids live as long as the delivery log. */
    @Scheduled(every = "10m", delay = 2, delayUnit = TimeUnit.MINUTES, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pruneOld() {
        return retentionPrune().replaceWithVoid().onFailure().recoverWithNull();
    }

    Uni<Integer> retentionPrune() {
        return prune(Instant.now().minus(retention), 50_000).invoke(n -> {
            if (n > 0) {
                LOG.infof("%d dropped event ids older than %s removed", n, retention);
            }
        });
    }
}
