package io.keyhook.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.Postgres;
import io.keyhook.testing.TopicReader;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The relay against a real PostgreSQL and broker: a row whose transaction commits after a higher id was written is
 * neither skipped nor deleted unpublished, and both go out once, in id (key) order; a commit wakes the relay at once.
 */
class OutboxRelayTest {

    private static final String DATABASE = "outbox_relay_test";
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void schema() throws Exception {
        Postgres.datasourceFor(DATABASE);
        try (Connection c = Postgres.server().connect(DATABASE); Statement st = c.createStatement()) {
            st.execute("create schema if not exists relay");
            st.execute("create table if not exists relay.outbox (id bigserial primary key, topic text not null,"
                    + " record_key text not null, payload text, created_at timestamptz not null default now(),"
                    + " traceparent text, txid xid8 not null default pg_current_xact_id())");
            // the services' trigger: their repeatable migration, run in this schema as Flyway would
            st.execute("set search_path to relay");
            st.execute(new String(
                    OutboxRelayTest.class.getResourceAsStream("/db/outbox/R__outbox_notify.sql").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        vertx = Vertx.vertx();
        pool = TestPools.of(vertx, DATABASE);
    }

    @AfterAll
    static void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    /** Commits {@code tx} the first time the relay sends: the race of the issue, made certain. */
    static final class CommitWhileSending extends OrderedSender {
        private final Connection tx;
        private final AtomicBoolean committed;

        CommitWhileSending(String topic, Connection tx, AtomicBoolean committed) {
            super(KafkaClients.of(KafkaBroker.shared().bootstrapServers(), KafkaBroker.shared().securityProperties()),
                    Duration.ofSeconds(10), "relay-test", List.of(new NewTopic(topic, 1, (short) 1)));
            this.tx = tx;
            this.committed = committed;
        }

        @Override
        public int sendInOrder(List<Outgoing> records) {
            commit(tx, committed);
            return super.sendInOrder(records);
        }
    }

    static void commit(Connection tx, AtomicBoolean committed) {
        try {
            if (committed.compareAndSet(false, true)) {
                tx.commit();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void transactionsCommittingInTheOppositeOrderOfTheirIdsArePublishedOnceInIdOrder() throws Exception {
        String topic = "relay-test-" + System.nanoTime();
        try (Connection first = Postgres.server().connect(DATABASE);
                Connection second = Postgres.server().connect(DATABASE)) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            // the first transaction takes the lower id and is still open when the second commits
            insert(first, topic, "k", "first");
            insert(second, topic, "k", "second");
            second.commit();
            AtomicBoolean committed = new AtomicBoolean();
            try (CommitWhileSending sender = new CommitWhileSending(topic, first, committed)) {
                OutboxRelay relay = new OutboxRelay(pool, sender, "relay", 4242, 100);
                relay.publishBatch();
                commit(first, committed);
                for (int i = 0; i < 5; i++) {
                    relay.publishBatch();
                }
            }
        }
        List<String> published = new ArrayList<>();
        for (ConsumerRecord<String, String> r : TopicReader.readAll(topic)) {
            published.add(r.value());
        }
        assertEquals(List.of("first", "second"), published);
        try (Connection c = Postgres.server().connect(DATABASE); Statement st = c.createStatement()) {
            var rs = st.executeQuery("select count(*) from relay.outbox where topic = '" + topic + "'");
            rs.next();
            assertEquals(0, rs.getInt(1), "both rows deleted after publishing");
        }
    }

    /**
     * Two changes of one key commit in id order, but the later one's transaction took its id first (it waited for the
     * key's row lock, which the earlier one got first), while an unrelated transaction that started in between is still
     * open: the earlier row is not eligible yet (its txid is past the snapshot's xmin) and the later one is. The relay
     * published the later row first, so the compacted topic ended on the stale state (ConcurrentChangesTest saw a
     * webhook's version 5 published before its version 4 under load). It now stops at the first row not eligible yet.
     */
    @Test
    void aRowIsNeverPublishedBeforeAnEarlierRowThatIsNotEligibleYet() throws Exception {
        String topic = "relay-test-" + System.nanoTime();
        try (Connection later = Postgres.server().connect(DATABASE);
                Connection unrelated = Postgres.server().connect(DATABASE);
                Connection earlier = Postgres.server().connect(DATABASE);
                var sender = new OrderedSender(
                        KafkaClients.of(KafkaBroker.shared().bootstrapServers(),
                                KafkaBroker.shared().securityProperties()),
                        Duration.ofSeconds(10), "relay-test", List.of(new NewTopic(topic, 1, (short) 1)))) {
            later.setAutoCommit(false);
            unrelated.setAutoCommit(false);
            earlier.setAutoCommit(false);
            // transaction ids in the order: later, unrelated, earlier
            for (Connection c : List.of(later, unrelated, earlier)) {
                try (Statement st = c.createStatement()) {
                    st.execute("select pg_current_xact_id()");
                }
            }
            insert(earlier, topic, "k", "version 4");
            earlier.commit();
            insert(later, topic, "k", "version 5");
            later.commit();
            OutboxRelay relay = new OutboxRelay(pool, sender, "relay", 4243, 100);
            relay.publishBatch();
            unrelated.commit();
            for (int i = 0; i < 3; i++) {
                relay.publishBatch();
            }
        }
        assertEquals(List.of("version 4", "version 5"), published(topic));
    }

    /**
     * With an interval of an hour, only the commit's notification can make the relay publish: a row committed after
     * start is on the topic within seconds; a rolled-back one never is.
     */
    @Test
    void aCommittedRowIsPublishedAtOnceWithoutWaitingForTheInterval() throws Exception {
        String topic = "relay-notify-" + System.nanoTime();
        try (OutboxRelay.Running running = OutboxRelay.start(pool, kafka(), Duration.ofSeconds(10), "relay-notify",
                List.of(new NewTopic(topic, 1, (short) 1)), "relay", 4243, 100, Duration.ofHours(1))) {
            // the first round (after 500 ms) starts listening; the next scheduled one is an hour away
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(running::hearsCommits);
            try (Connection c = Postgres.server().connect(DATABASE)) {
                c.setAutoCommit(false);
                insert(c, topic, "k", "rolled back");
                c.rollback();
            }
            commitOne(topic, "heard");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> published(topic).equals(List.of("heard")));
            commitOne(topic, "heard too");
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> published(topic).equals(List.of("heard", "heard too")));
        }
    }

    /** A listening connection that dies (a PostgreSQL restart, a failover) is replaced by the next round. */
    @Test
    void aLostListeningConnectionIsReplaced() throws Exception {
        String topic = "relay-relisten-" + System.nanoTime();
        try (OutboxRelay.Running running = OutboxRelay.start(pool, kafka(), Duration.ofSeconds(10), "relay-relisten",
                List.of(new NewTopic(topic, 1, (short) 1)), "relay", 4244, 100, Duration.ofMillis(300))) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(running::hearsCommits);
            List<Integer> killed = listeningBackends();
            assertEquals(1, killed.size(), "one listening connection: " + killed);
            try (Connection c = Postgres.server().connect(DATABASE); Statement st = c.createStatement();
                    var rs = st.executeQuery("select pg_terminate_backend(" + killed.get(0) + ")")) {
                rs.next();
                assertTrue(rs.getBoolean(1), "the listening connection was killed");
            }
            // another connection listens in its place: watched in PostgreSQL rather than by catching the relay's brief
            // "not listening" state, which a round may end before any poll sees it
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<Integer> now = listeningBackends();
                return now.size() == 1 && !now.contains(killed.get(0)) && running.hearsCommits();
            });
            commitOne(topic, "after");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> published(topic).equals(List.of("after")));
        }
    }

    /**
     * With an interval of an hour, only the loss itself can make the relay listen again: each time its listening
     * connection is killed, another listens within seconds and hears the next commit. Six losses in a row, more than
     * the pool's four connections, so a dead connection the relay kept counting as borrowed would exhaust it. (The
     * close handler once gave the dead connection back to the pool, which handed it straight back to the relay's next
     * LISTEN: "Connection is not active now", and listening again was left to the next scheduled round.)
     */
    @Test
    void aLostListeningConnectionIsReplacedAtOnceEveryTime() throws Exception {
        String topic = "relay-relisten-at-once-" + System.nanoTime();
        try (OutboxRelay.Running running = OutboxRelay.start(pool, kafka(), Duration.ofSeconds(10),
                "relay-relisten-at-once", List.of(new NewTopic(topic, 1, (short) 1)), "relay", 4245, 100,
                Duration.ofHours(1))) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(running::hearsCommits);
            List<String> expected = new ArrayList<>();
            for (int loss = 1; loss <= 6; loss++) {
                List<Integer> killed = listeningBackends();
                assertEquals(1, killed.size(), "loss " + loss + ": one listening connection: " + killed);
                try (Connection c = Postgres.server().connect(DATABASE); Statement st = c.createStatement();
                        var rs = st.executeQuery("select pg_terminate_backend(" + killed.get(0) + ")")) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "the listening connection was killed");
                }
                Awaitility.await("listening again after loss " + loss).atMost(Duration.ofSeconds(10)).until(() -> {
                    List<Integer> now = listeningBackends();
                    return now.size() == 1 && !now.contains(killed.get(0)) && running.hearsCommits();
                });
                commitOne(topic, "after loss " + loss);
                expected.add("after loss " + loss);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> published(topic).equals(expected));
            }
        }
    }

    /**
     * Behind something that does not pass {@code LISTEN} (docs/operations.md: a pooler in transaction mode), every
     * attempt to listen fails, and the interval alone publishes a committed row.
     */
    @Test
    void whereListenFailsTheIntervalAlonePublishes() throws Exception {
        var s = Postgres.server();
        var direct = PgConnectOptions.fromUri(s.reactiveUrl(DATABASE));
        String topic = "relay-no-listen-" + System.nanoTime();
        try (ListenCuttingProxy proxy = new ListenCuttingProxy(direct.getHost(), direct.getPort())) {
            Pool viaProxy = Pool.newInstance(PgBuilder
                    .pool().with(new PoolOptions().setMaxSize(4)).connectingTo(new PgConnectOptions(direct)
                            .setHost("127.0.0.1").setPort(proxy.port()).setUser(s.user()).setPassword(s.password()))
                    .using(vertx.getDelegate()).build());
            try (OutboxRelay.Running running = OutboxRelay.start(viaProxy, kafka(), Duration.ofSeconds(10),
                    "relay-no-listen", List.of(new NewTopic(topic, 1, (short) 1)), "relay", 4246, 100,
                    Duration.ofMillis(300))) {
                // refused, and tried again at the next round
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> proxy.cut() >= 2);
                assertFalse(running.hearsCommits());
                commitOne(topic, "by the interval");
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> published(topic).equals(List.of("by the interval")));
                assertFalse(running.hearsCommits());
            } finally {
                viaProxy.closeAndAwait();
            }
        }
    }

    /** The backends listening on the relay's channel. */
    private static List<Integer> listeningBackends() throws Exception {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = Postgres.server().connect(DATABASE); Statement st = c.createStatement(); var rs = st
                .executeQuery("select pid from pg_stat_activity where query ilike 'LISTEN keyhook_outbox_relay%'")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    private static KafkaClients kafka() {
        return KafkaClients.of(KafkaBroker.shared().bootstrapServers(), KafkaBroker.shared().securityProperties());
    }

    private static void commitOne(String topic, String payload) throws Exception {
        try (Connection c = Postgres.server().connect(DATABASE)) {
            insert(c, topic, "k", payload);
        }
    }

    private static List<String> published(String topic) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<String, String> r : TopicReader.readAll(topic)) {
            values.add(r.value());
        }
        return values;
    }

    private static void insert(Connection c, String topic, String key, String payload) throws Exception {
        try (var ps = c.prepareStatement("insert into relay.outbox (topic, record_key, payload) values (?, ?, ?)")) {
            ps.setString(1, topic);
            ps.setString(2, key);
            ps.setString(3, payload);
            ps.executeUpdate();
        }
    }
}
