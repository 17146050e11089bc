package io.keyhook.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.NewTopic;
import org.jboss.logging.Logger;

import io.keyhook.core.concurrent.BackgroundLoop;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Moves committed rows of a service's {@code <schema>.outbox} table (id, topic, record_key, payload; null payload =
 * tombstone; traceparent of the change, sent as a header; txid of the writing transaction) to Kafka in id order,
 * deleting exactly the ids the broker acknowledged. A transaction-scoped advisory lock makes one replica the publisher
 * at a time, so per-key order holds across replicas. When Kafka is down rows simply wait; nothing is lost. Blocking:
 * run it from a {@link BackgroundLoop}.
 * <p>
 * Ids are taken when a row is written, not when it commits, so a row with a lower id can become visible after a higher
 * one was published. The relay therefore publishes only rows whose transaction is older than every transaction still in
 * flight ({@code txid < pg_snapshot_xmin(pg_current_snapshot())}): no row can appear later below them. Writers of the
 * same key lock the changed entity before writing its row, so their ids follow their commit order; but their
 * transaction ids need not (a writer can take its txid, then wait for the lock), so a later row of a key can be
 * eligible while an earlier one is not yet. The relay therefore publishes in id order only up to the first visible row
 * that is not eligible, and per-key order holds. A long write transaction anywhere on the server delays publishing
 * (never loses or reorders anything).
 * <p>
 * A round runs when a commit of the outbox is heard ({@code LISTEN}/{@code NOTIFY}, on every replica) and every
 * {@code keyhook.kafka.outbox-interval} besides, which alone suffices when notifications are lost.
 */
public final class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final OrderedSender sender;
    private final String table;
    private final long lockId;
    private final int batchSize;
    private final AtomicLong pending = new AtomicLong();

    /**
     * @param lockId
     *            a fixed number of the service's own, for {@code pg_try_advisory_xact_lock}
     */
    public OutboxRelay(Pool pool, OrderedSender sender, String schema, long lockId, int batchSize) {
        this.pool = pool;
        this.sender = sender;
        this.table = schema + ".outbox";
        this.lockId = lockId;
        this.batchSize = batchSize;
    }

    /**
     * A relay publishing on its own thread, at each commit it hears of and every interval; closing it stops the loop,
     * the listening and the producer.
     */
    public record Running(OutboxRelay relay, OrderedSender sender, BackgroundLoop loop,
            CommitNotifications notifications) implements AutoCloseable {

        /** True while commits wake the relay (else only the interval does). */
        public boolean hearsCommits() {
            return notifications.listening();
        }

        @Override
        public void close() {
            notifications.close();
            loop.close();
            sender.close();
        }
    }

    /**
     * Starts publishing {@code <schema>.outbox} with the suite's settings ({@code keyhook.kafka.send-timeout},
     * {@code outbox-batch-size}, {@code outbox-interval}) to the given topics, which are created if missing.
     */
    public static Running start(Pool pool, KafkaClients kafka, KafkaSettings settings, String clientId,
            List<NewTopic> topics, String schema, long lockId) {
        // where the platform manages topics, the relay publishes to what exists and creates nothing
        return start(pool, kafka, settings.sendTimeout(), clientId, settings.createTopics() ? topics : List.of(),
                topics.stream().map(NewTopic::name).toList(), schema, lockId, settings.outboxBatchSize(),
                settings.outboxInterval());
    }

    /**
     * Starts publishing {@code <schema>.outbox} when a row of it commits (see {@link CommitNotifications}) and every
     * {@code interval} (first round after 500 ms), to the given topics, which are created if missing.
     */
    public static Running start(Pool pool, KafkaClients kafka, Duration sendTimeout, String clientId,
            List<NewTopic> topics, String schema, long lockId, int batchSize, Duration interval) {
        return start(pool, kafka, sendTimeout, clientId, topics, topics.stream().map(NewTopic::name).toList(), schema,
                lockId, batchSize, interval);
    }

    private static Running start(Pool pool, KafkaClients kafka, Duration sendTimeout, String clientId,
            List<NewTopic> create, List<String> publishedTo, String schema, long lockId, int batchSize,
            Duration interval) {
        OrderedSender sender = new OrderedSender(kafka, sendTimeout, clientId, create);
        OutboxRelay relay = new OutboxRelay(pool, sender, schema, lockId, batchSize);
        var wake = new AtomicReference<BackgroundLoop>();
        var notifications = new CommitNotifications(pool, schema, () -> {
            BackgroundLoop loop = wake.get();
            if (loop != null) {
                loop.runSoon();
            }
        });
        var prepared = new AtomicBoolean();
        var loop = BackgroundLoop.start("keyhook-" + schema + "-outbox", Duration.ofMillis(500), interval, () -> {
            if (!prepared.get()) {
                // every replica, so whichever takes the lock publishes its first change without connecting first
                prepared.set(sender.prepare(publishedTo));
            }
            notifications.ensureListening();
            relay.publishPending();
        });
        wake.set(loop);
        return new Running(relay, sender, loop, notifications);
    }

    /** Rows still waiting after the last round (a gauge). */
    public AtomicLong pending() {
        return pending;
    }

    /** Publishes until the outbox is empty or a round stops short; failures wait for the next call. */
    public void publishPending() {
        try {
            int published;
            do {
                published = publishBatch();
            } while (published == batchSize);
        } catch (RuntimeException e) {
            // PostgreSQL down or similar: the next round tries again
            LOG.debugf("Outbox round on %s failed: %s", table, e.toString());
        }
    }

    /** Publishes one batch and returns how many rows went out. */
    public int publishBatch() {
        SqlConnection conn = pool.getConnectionAndAwait();
        try {
            Transaction tx = conn.beginAndAwait();
            Row lock = conn.preparedQuery("select pg_try_advisory_xact_lock($1)").executeAndAwait(Tuple.of(lockId))
                    .iterator().next();
            if (!lock.getBoolean(0)) {
                tx.rollbackAndAwait();
                return 0;
            }
            List<Long> ids = new ArrayList<>();
            List<OrderedSender.Outgoing> records = new ArrayList<>();
            // in id order, up to the first visible row whose transaction is not below the snapshot's xmin: a row of a
            // later change to the same key can be eligible before an earlier one (its transaction took its id first,
            // then waited for the key's row lock), and must not overtake it
            for (Row r : conn.preparedQuery("select id, topic, record_key, payload, traceparent from " + table
                    + " where id < coalesce((select min(id) from " + table
                    + " where txid >= pg_snapshot_xmin(pg_current_snapshot())), 9223372036854775807)"
                    + " order by id limit $1").executeAndAwait(Tuple.of(batchSize))) {
                ids.add(r.getLong("id"));
                records.add(new OrderedSender.Outgoing(r.getString("topic"), r.getString("record_key"),
                        r.getString("payload"), r.getString("traceparent")));
            }
            int acked = records.isEmpty() ? 0 : sender.sendInOrder(records);
            if (acked > 0) {
                // exactly what was published: a row that became visible meanwhile is not among them
                conn.preparedQuery("delete from " + table + " where id = any($1)")
                        .executeAndAwait(Tuple.of(ids.subList(0, acked).toArray(Long[]::new)));
            }
            // only count when there may be more: an idle round costs one indexed query, not a count
            long left = records.size() < batchSize && acked == records.size() ? 0
                    : conn.query("select count(*) from " + table).executeAndAwait().iterator().next().getLong(0);
            tx.commitAndAwait();
            pending.set(left);
            return acked;
        } finally {
            conn.closeAndAwait();
        }
    }
}
