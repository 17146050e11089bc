package io.keyhook.dispatcher.persistence;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.sql.SqlFailures;
import io.keyhook.core.text.SafeText;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes the direct path's deliveries (and their first attempts) in batches: two statements per batch, whatever its
 * size, in one transaction. Entries are written in the order they were queued, so a delivery stored for a retry gets a
 * lower sequence than a later one of the same record. Each entry's callback runs once its batch is committed; until
 * then the event's Kafka offset is not committed. A batch PostgreSQL cannot take (it is down) is retried until it can
 * (nothing is dropped; the consumer stops reading while too much is unwritten); a row PostgreSQL refuses is found by
 * splitting the batch and parked, so it never holds up the others.
 */
@ApplicationScoped
public class DeliveryLogWriter {

    private static final Logger LOG = Logger.getLogger(DeliveryLogWriter.class);
    private static final int BATCH = 1000;

    private record Queued(LogEntry entry, Runnable onWritten) {
    }

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private volatile boolean running = true;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "keyhook-delivery-log-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        // give queued entries a moment to land; whatever does not is re-read from Kafka after the restart
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
        }
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Queues an entry; {@code onWritten} runs (on the writer's thread) once it is committed. */
    public void write(LogEntry entry, Runnable onWritten) {
        queue.add(new Queued(entry, onWritten));
    }

    /** Entries waiting to be written. */
    public int queued() {
        return queue.size();
    }

    private void run() {
        List<Queued> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                Queued first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                writeUntilStored(batch);
                for (Queued q : batch) {
                    try {
                        q.onWritten().run();
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "A delivery-log callback failed");
                    }
                }
                batch.clear();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Writes the batch. While PostgreSQL is unreachable, waits and tries again (nothing is dropped). When PostgreSQL
     * refuses the statement for what a row holds, the batch is split until that row is found; it is parked (logged at
     * ERROR with its ids, counted in {@code keyhook.dispatcher.rows.parked}) and the others are written in order.
     */
    private void writeUntilStored(List<Queued> batch) throws InterruptedException {
        long backoff = 100;
        while (running) {
            try {
                insert(batch);
                registry.counter("keyhook.dispatcher.log.rows").increment(batch.size());
                return;
            } catch (RuntimeException e) {
                if (SqlFailures.isRowLevel(e)) {
                    writeSplit(batch, e);
                    return;
                }
                LOG.warnf("Writing %d deliveries failed (%s); retrying in %d ms", batch.size(), e.toString(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(5000, backoff * 2);
            }
        }
        throw new InterruptedException("stopping");
    }

    private void writeSplit(List<Queued> batch, RuntimeException e) throws InterruptedException {
        if (batch.size() == 1) {
            DeliveryRow r = batch.get(0).entry().row();
            registry.counter("keyhook.dispatcher.rows.parked", "reason", "log").increment();
            LOG.errorf(
                    "Parked delivery %s (webhook %s, event %s, Environment %s): PostgreSQL refuses the row"
                            + " (SQLSTATE %s); the other deliveries go on",
                    r.id(), r.webhookId(), SafeText.sanitize(r.eventId(), 256), r.environment(),
                    SqlFailures.sqlState(e));
            return;
        }
        int half = batch.size() / 2;
        writeUntilStored(batch.subList(0, half));
        writeUntilStored(batch.subList(half, batch.size()));
    }

    private void insert(List<Queued> batch) {
        int n = batch.size();
        String[] id = new String[n], webhook = new String[n], env = new String[n], event = new String[n],
                msg = new String[n], type = new String[n], key = new String[n], body = new String[n],
                status = new String[n], lastError = new String[n], trace = new String[n];
        Integer[] attempts = new Integer[n], lastStatus = new Integer[n];
        OffsetDateTime[] next = new OffsetDateTime[n], created = new OffsetDateTime[n],
                finished = new OffsetDateTime[n];
        List<LogEntry> withAttempt = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LogEntry e = batch.get(i).entry();
            DeliveryRow r = e.row();
            id[i] = r.id();
            webhook[i] = r.webhookId();
            env[i] = r.environment();
            event[i] = r.eventId();
            msg[i] = r.msgId();
            type[i] = r.type();
            key[i] = r.orderingKey();
            body[i] = r.body();
            status[i] = e.status();
            attempts[i] = e.attempts();
            next[i] = at(e.nextAttemptAt());
            lastStatus[i] = e.lastStatus();
            lastError[i] = e.lastError();
            created[i] = at(r.createdAt());
            finished[i] = at(e.finishedAt());
            trace[i] = r.traceparent();
            if (e.attempt() != null) {
                withAttempt.add(e);
            }
        }
        int m = withAttempt.size();
        String[] aId = new String[m], aError = new String[m], aResponse = new String[m];
        Integer[] aNumber = new Integer[m], aLatency = new Integer[m], aStatus = new Integer[m];
        OffsetDateTime[] aStarted = new OffsetDateTime[m];
        for (int i = 0; i < m; i++) {
            LogEntry e = withAttempt.get(i);
            LogEntry.AttemptRecord a = e.attempt();
            aId[i] = e.row().id();
            aNumber[i] = a.number();
            aStarted[i] = at(a.startedAt());
            aLatency[i] = a.latencyMs();
            aStatus[i] = a.statusCode();
            aError[i] = a.error();
            aResponse[i] = a.response();
        }
        pool.withTransaction(c -> c.preparedQuery("insert into dispatcher.deliveries (id, webhook_id, environment,"
                + " event_id, msg_id, type, ordering_key, body, status, attempts, next_attempt_at, last_status,"
                + " last_error, created_at, finished_at, traceparent) select * from unnest($1::text[], $2::text[],"
                + " $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[],"
                + " $11::timestamptz[], $12::int[], $13::text[], $14::timestamptz[], $15::timestamptz[],"
                + " $16::text[])" + " on conflict (webhook_id, event_id) do nothing")
                .execute(Tuple.from(new Object[] { id, webhook, env, event, msg, type, key, body, status, attempts,
                        next, lastStatus, lastError, created, finished, trace }))
                .chain(() -> m == 0 ? Uni.createFrom().voidItem()
                        : c.preparedQuery("insert into dispatcher.attempts (delivery_id, attempt, started_at,"
                                + " latency_ms, status_code, error, response) select u.* from unnest($1::text[],"
                                + " $2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::text[], $7::text[])"
                                + " as u(delivery_id, attempt, started_at, latency_ms, status_code, error, response)"
                                // a re-read event whose row exists already: its older row stays, this attempt is not
                                // logged against a row that was never written
                                + " where exists (select 1 from dispatcher.deliveries d where d.id = u.delivery_id)"
                                + " on conflict do nothing")
                                .execute(Tuple.from(
                                        new Object[] { aId, aNumber, aStarted, aLatency, aStatus, aError, aResponse }))
                                .replaceWithVoid()))
                .await().atMost(Duration.ofSeconds(30));
    }

    private static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
