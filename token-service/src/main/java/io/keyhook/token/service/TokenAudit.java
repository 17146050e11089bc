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

    @Inject
    AuditRepository repository;

    @Inject
    MeterRegistry registry;

    private final BlockingQueue<AuditRow> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile boolean running = true;
    private Counter dropped;
    private Thread writer;

    void start(@Observes StartupEvent event) {
        dropped = registry.counter("keyhook.token.audit.dropped");
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
        AuditRow row = new AuditRow(0, Instant.now(), environment, actor == null ? "anonymous" : actor, source, action,
                target, result, reason);
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
                repository.insertAll(batch).await().atMost(Duration.ofSeconds(10));
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

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
