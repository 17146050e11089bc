package io.keyhook.credentials.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.concurrent.BackgroundLoop;
import io.keyhook.common.messaging.OrderedSender;
import io.keyhook.credentials.config.KafkaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Moves committed outbox rows to Kafka in id order, deleting only what the broker acknowledged. A transaction-scoped
 * advisory lock makes one instance the publisher at a time, so per-key order holds across replicas. When Kafka is down
 * rows simply wait; nothing is lost.
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    // arbitrary but fixed: "keyhook-credentials-outbox"
    private static final long LOCK_ID = 0x6b68_6f75_7462_6f78L;

    @Inject
    Pool pool;

    @Inject
    KafkaRecordSender sender;

    @Inject
    KafkaConfig config;

    private final AtomicLong pending = new AtomicLong();

    @Inject
    void registerMetrics(MeterRegistry registry) {
        registry.gauge("keyhook.outbox.pending", pending);
    }

    private BackgroundLoop loop;

    // a thread of its own: the Quarkus scheduler cannot poll more often than once a second, and
    // publishing blocks on the broker, which must never hold a Vert.x or shared worker thread
    void start(@Observes StartupEvent event) {
        loop = BackgroundLoop.start("keyhook-outbox-publisher", java.time.Duration.ofMillis(500),
                config.outboxInterval(), this::publishPending);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    void publishPending() {
        try {
            int published;
            do {
                published = publishBatch();
            } while (published == config.outboxBatchSize());
        } catch (RuntimeException e) {
            // PostgreSQL down or similar: the next round tries again
            LOG.debugf("Outbox round failed: %s", e.toString());
        }
    }

    /** Publishes one batch and returns how many rows went out. */
    int publishBatch() {
        SqlConnection conn = pool.getConnectionAndAwait();
        try {
            Transaction tx = conn.beginAndAwait();
            Row lock = conn.preparedQuery("select pg_try_advisory_xact_lock($1)").executeAndAwait(Tuple.of(LOCK_ID))
                    .iterator().next();
            if (!lock.getBoolean(0)) {
                tx.rollbackAndAwait();
                return 0;
            }
            List<Long> ids = new ArrayList<>();
            List<OrderedSender.Outgoing> records = new ArrayList<>();
            for (Row r : conn
                    .preparedQuery("select id, topic, record_key, payload from credentials.outbox order by id limit $1")
                    .executeAndAwait(Tuple.of(config.outboxBatchSize()))) {
                ids.add(r.getLong("id"));
                records.add(new OrderedSender.Outgoing(r.getString("topic"), r.getString("record_key"),
                        r.getString("payload")));
            }
            int acked = records.isEmpty() ? 0 : sender.sendInOrder(records);
            if (acked > 0) {
                conn.preparedQuery("delete from credentials.outbox where id <= $1")
                        .executeAndAwait(Tuple.of(ids.get(acked - 1)));
            }
            long left = conn.query("select count(*) from credentials.outbox").executeAndAwait().iterator().next()
                    .getLong(0);
            tx.commitAndAwait();
            pending.set(left);
            return acked;
        } finally {
            conn.closeAndAwait();
        }
    }
}
