package io.keyhook.dispatcher.service;

import java.time.Duration;
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
import io.keyhook.dispatcher.persistence.DeliveryLogInserts;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.LogEntry;
import io.keyhook.dispatcher.persistence.OperationalOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Writes the direct path's deliveries (and their first attempts) in batches: two statements per batch, whatever its
 * size, in one transaction ({@link DeliveryLogInserts}). Entries are written in the order they were queued, so a
 * delivery stored for a retry gets a lower sequence than a later one of the same record. Each entry's callback runs
 * once its batch is committed; until then the event's Kafka offset is not committed. A batch PostgreSQL cannot take (it
 * is down) is retried until it can (nothing is dropped; the consumer stops reading while too much is unwritten); a row
 * PostgreSQL refuses is found by splitting the batch and parked, so it never holds up the others.
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
    DeliveryLogInserts inserts;

    @Inject
    MeterRegistry registry;

    @Inject
    GapManifest gaps;

    @Inject
    OperationalEvents events;

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
        List<LogEntry> entries = batch.stream().map(Queued::entry).toList();
        List<OperationalOutbox.Row> exhausted = exhausted(entries);
        pool.withTransaction(c -> inserts.insert(c, entries, exhausted).chain(() -> gaps.afterLogged(c, entries)))
                .await().atMost(Duration.ofSeconds(30));
    }

    /** {@code keyhook.delivery.exhausted} for each entry that ended failed (none in a batch of successes: no work). */
    private List<OperationalOutbox.Row> exhausted(List<LogEntry> entries) {
        List<OperationalOutbox.Row> out = null;
        for (LogEntry e : entries) {
            if (DeliveryRow.FAILED.equals(e.status())) {
                OperationalOutbox.Row row = events.exhausted(new OperationalEvents.Ended(e.row(), e.status(),
                        e.attempts(), e.lastStatus(), e.lastError(), e.finishedAt()), e.row().id());
                if (row != null) {
                    if (out == null) {
                        out = new ArrayList<>();
                    }
                    out.add(row);
                }
            }
        }
        return out == null ? List.of() : out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
