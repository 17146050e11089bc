package io.keyhook.common.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.keyhook.common.config.AuditConfig;
import io.keyhook.common.sql.SqlFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * The one audit writer, for entries that do not belong to a transaction of their own change (refusals, 403s, token
 * failures, secret uses): they queue in memory and a writer thread inserts them in batches through the
 * {@link AuditStore}, so the database is never on the request's path. PostgreSQL down: the writer keeps them and
 * retries. A row PostgreSQL refuses for its content is isolated (the batch is split until it is found), replaced by an
 * {@code audit.unstorable} placeholder and counted; the rest is written. Only a full queue (an attack far past the rate
 * limits) drops entries, and those are counted. Runs where {@code keyhook.audit.schema} is set.
 */
@Singleton
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    static final int CAPACITY = 50_000;
    static final int BATCH = 1000;
    private static final Duration STATEMENT_WAIT = Duration.ofSeconds(10);

    private final AuditStore store;
    private final AuditConfig config;
    private final BlockingQueue<AuditEntry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Counter dropped;
    private final Counter unstorable;
    private volatile boolean running = true;
    private volatile boolean pendingBatch;
    private Thread writer;

    @Inject
    AuditLog(AuditStore store, AuditConfig config, MeterRegistry registry) {
        this.store = store;
        this.config = config;
        this.dropped = registry.counter("keyhook.audit.dropped");
        this.unstorable = registry.counter("keyhook.audit.unstorable");
        registry.gauge("keyhook.audit.queued", queue, BlockingQueue::size);
    }

    void start(@Observes StartupEvent event) {
        if (config.schema().isPresent()) {
            writer = new Thread(this::drain, "keyhook-audit-writer");
            writer.setDaemon(true);
            writer.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (writer != null) {
            writer.interrupt();
        }
    }

    /** Queues the entry (cleaned and capped); never blocks, never fails the caller. */
    public void record(AuditEntry entry) {
        if (!queue.offer(entry.cleaned())) {
            dropped.increment();
        }
    }

    /**
     * Writes the entry before the caller answers (a refusal the admin should find in the trail when the response
     * comes): refused for its content, a placeholder is stored instead; the database unreachable, it is queued for the
     * writer. Never fails.
     */
    public Uni<Void> writeNow(AuditEntry entry) {
        AuditEntry clean = entry.cleaned();
        return store.insertAll(List.of(clean)).onFailure(SqlFailures::isRowLevel).recoverWithUni(e -> {
            unstorable.increment();
            LOG.errorf("Audit entry %s refused by the database (SQLSTATE %s); a placeholder is stored", clean.action(),
                    SqlFailures.sqlState(e));
            return store.insertAll(List.of(clean.placeholder()));
        }).onFailure().recoverWithItem(e -> {
            record(clean);
            return null;
        });
    }

    /** Waits until everything queued so far is written (tests, shutdown). */
    public boolean flushed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.isEmpty() || pendingBatch) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void drain() {
        List<AuditEntry> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    AuditEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    pendingBatch = true;
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                write(batch);
                batch.clear();
                pendingBatch = false;
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.warnf("Cannot write %d audit entries yet (%s); retrying", batch.size(), e.toString());
                sleep();
            }
        }
    }

    /**
     * Inserts the batch. When PostgreSQL refuses a row for its content (not a lost connection), the batch is split
     * until that row is found; it is replaced by a placeholder and counted, and the rest is written. One bad entry
     * never blocks the ones after it. A failure of the database itself is thrown, for the caller to retry the batch.
     */
    public void write(List<AuditEntry> batch) {
        try {
            store.insertAll(batch).await().atMost(STATEMENT_WAIT);
        } catch (RuntimeException e) {
            if (!SqlFailures.isRowLevel(e)) {
                throw e;
            }
            if (batch.size() == 1) {
                AuditEntry bad = batch.get(0);
                unstorable.increment();
                LOG.errorf("Audit entry %s at %s refused by the database (SQLSTATE %s); a placeholder is stored",
                        bad.action(), bad.occurredAt(), SqlFailures.sqlState(e));
                store.insertAll(List.of(bad.placeholder())).await().atMost(STATEMENT_WAIT);
                return;
            }
            int half = batch.size() / 2;
            write(batch.subList(0, half));
            write(batch.subList(half, batch.size()));
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
