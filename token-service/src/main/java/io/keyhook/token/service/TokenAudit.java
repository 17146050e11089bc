package io.keyhook.token.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.sql.SqlFailures;
import io.keyhook.common.text.SafeText;
import io.keyhook.token.persistence.AuditRepository;
import io.keyhook.token.persistence.AuditRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Audits token-endpoint failures and revocations without putting the database on the hot path: entries queue in memory
 * and a writer thread inserts them in batches. If PostgreSQL is down the writer keeps them and retries; only a full
 * queue (an attack far past the rate limits) drops entries, and those are counted.
 */
@ApplicationScoped
public class TokenAudit {

    private static final Logger LOG = Logger.getLogger(TokenAudit.class);
    private static final int CAPACITY = 50_000;
    /** Longest text stored in one audit field. */
    static final int MAX_FIELD = 256;

    @Inject
    AuditRepository repository;

    @Inject
    MeterRegistry registry;

    private final BlockingQueue<AuditRow> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile boolean running = true;
    private Counter dropped;
    private Counter unstorable;
    private Thread writer;

    void start(@Observes StartupEvent event) {
        dropped = registry.counter("keyhook.token.audit.dropped");
        unstorable = registry.counter("keyhook.token.audit.unstorable");
        registry.gauge("keyhook.token.audit.queued", queue, BlockingQueue::size);
        writer = new Thread(this::drain, "keyhook-token-audit");
        writer.setDaemon(true);
        writer.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (writer != null) {
            writer.interrupt();
        }
    }

    public void record(String environment, String actor, String source, String action, String target, String result,
            String reason) {
        // every field is cleaned and capped here, so what reaches PostgreSQL is text it accepts
        AuditRow row = new AuditRow(0, Instant.now(), clean(environment), actor == null ? "anonymous" : clean(actor),
                clean(source), clean(action), clean(target), clean(result), clean(reason));
        if (!queue.offer(row)) {
            dropped.increment();
        }
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

    private volatile boolean pendingBatch;

    private void drain() {
        List<AuditRow> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    AuditRow first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    pendingBatch = true;
                    batch.add(first);
                    queue.drainTo(batch, 999);
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
     * until that row is found; it is replaced by a placeholder that says an entry was refused, and counted, and the
     * rest is written. One bad entry never blocks the ones after it.
     */
    void write(List<AuditRow> batch) {
        try {
            repository.insertAll(batch).await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            if (!SqlFailures.isRowLevel(e)) {
                throw e;
            }
            if (batch.size() == 1) {
                AuditRow bad = batch.get(0);
                unstorable.increment();
                LOG.errorf("Audit entry %s at %s refused by the database (SQLSTATE %s); a placeholder is stored",
                        bad.action(), bad.occurredAt(), SqlFailures.sqlState(e));
                repository.insertAll(List.of(placeholder(bad))).await().atMost(Duration.ofSeconds(10));
                return;
            }
            int half = batch.size() / 2;
            write(batch.subList(0, half));
            write(batch.subList(half, batch.size()));
        }
    }

    private static AuditRow placeholder(AuditRow bad) {
        return new AuditRow(0, bad.occurredAt(), null, "keyhook", null, "audit.unstorable", null, "error",
                "an audit entry was refused by the database");
    }

    static String clean(String value) {
        return value == null ? null : SafeText.sanitize(value, MAX_FIELD);
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
