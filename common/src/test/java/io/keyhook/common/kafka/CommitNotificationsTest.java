package io.keyhook.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.keyhook.testing.Postgres;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@link CommitNotifications} against a real PostgreSQL, without Quarkus: it listens on one connection of the pool
 * however often it is asked, hears only committed notifications of its own channel, reports a lost connection (and runs
 * {@code onCommit} once for what may have been missed), listens again when asked, and on close gives the connection
 * back without its {@code LISTEN}. Each test uses its own channel.
 */
class CommitNotificationsTest {

    private static final String DATABASE = "commit_notifications_test";
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        pool = TestPools.of(vertx, DATABASE);
    }

    @AfterAll
    static void stop() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    @Test
    void theChannelIsNamedForAPlainSchemaOnly() {
        assertEquals("keyhook_outbox_credentials", CommitNotifications.channel("credentials"));
        assertEquals("keyhook_outbox_token_2", CommitNotifications.channel("token_2"));
        // the name goes into a LISTEN statement unquoted: nothing that could end or change it is taken
        for (String bad : List.of("", "Credentials", "2fa", "a-b", "a;UNLISTEN *", "a b", "a\u0000", "\"a\"",
                "webhooks\n")) {
            assertThrows(IllegalArgumentException.class, () -> CommitNotifications.channel(bad), bad);
        }
    }

    @Test
    void itListensOnOneConnectionHoweverOftenItIsAskedAndHearsOnlyCommits() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        try (CommitNotifications n = new CommitNotifications(pool, "cn_one", heard::incrementAndGet)) {
            assertFalse(n.listening(), "nothing listens before it is asked");
            for (int i = 0; i < 5; i++) {
                n.ensureListening();
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(n::listening);
            n.ensureListening();
            assertEquals(1, listeningBackends("cn_one").size(), "one connection listens");

            try (Connection c = Postgres.server().connect(DATABASE); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("select pg_notify('keyhook_outbox_cn_one', '')");
                c.rollback();
                st.execute("select pg_notify('keyhook_outbox_cn_other', '')");
                c.commit();
                st.execute("select pg_notify('keyhook_outbox_cn_one', '')");
                c.commit();
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard.get() >= 1);
            // the committed notification of its own channel was the last one sent: anything heard for the rolled
            // back or the other channel's would have come before it
            assertEquals(1, heard.get(), "a rolled-back transaction or another channel is not heard");
        }
    }

    @Test
    void aLostConnectionIsReportedAndTheNextCallListensAgain() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        try (CommitNotifications n = new CommitNotifications(pool, "cn_lost", heard::incrementAndGet)) {
            n.ensureListening();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(n::listening);
            List<Integer> killed = listeningBackends("cn_lost");
            assertEquals(1, killed.size(), "one listening connection: " + killed);
            try (Connection c = Postgres.server().connect(DATABASE); Statement st = c.createStatement();
                    var rs = st.executeQuery("select pg_terminate_backend(" + killed.get(0) + ")")) {
                rs.next();
                assertTrue(rs.getBoolean(1), "the listening connection was killed");
            }
            // nothing else uses the connection: only its close handler can tell, and it must
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !n.listening());
            // one look for a commit that may have been missed meanwhile (run just after the state changes)
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard.get() == 1);

            // what the relay does each round: ask again until a live connection listens
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                n.ensureListening();
                return n.listening();
            });
            List<Integer> now = listeningBackends("cn_lost");
            assertEquals(1, now.size(), "listening again on one connection: " + now);
            assertFalse(now.contains(killed.get(0)), "on another connection");
            // a dead connection the pool handed out meanwhile may have run onCommit too: count from here
            int before = heard.get();
            notify("cn_lost");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard.get() > before);
        }
    }

    @Test
    void closingGivesTheConnectionBackWithoutItsListen() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        CommitNotifications n = new CommitNotifications(pool, "cn_closed", heard::incrementAndGet);
        n.ensureListening();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(n::listening);
        n.close();
        assertFalse(n.listening());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listeningBackends("cn_closed").isEmpty());
        n.ensureListening();
        assertFalse(n.listening(), "a closed listener never listens again");
        notify("cn_closed");
        // a notification that still reached this instance would be counted before this one is heard
        AtomicInteger control = new AtomicInteger();
        try (CommitNotifications other = new CommitNotifications(pool, "cn_closed", control::incrementAndGet)) {
            other.ensureListening();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(other::listening);
            notify("cn_closed");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> control.get() == 1);
        }
        assertEquals(0, heard.get(), "nothing is heard after close");
    }

    private static void notify(String schema) throws Exception {
        try (Connection c = Postgres.server().connect(DATABASE); Statement st = c.createStatement()) {
            st.execute("select pg_notify('keyhook_outbox_" + schema + "', '')");
        }
    }

    /** The backends whose last statement was the LISTEN on this schema's channel (a listener runs nothing else). */
    private static List<Integer> listeningBackends(String schema) throws Exception {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = Postgres.server().connect(DATABASE); Statement st = c.createStatement();
                var rs = st.executeQuery("select pid from pg_stat_activity where datname = current_database()"
                        + " and query = 'LISTEN keyhook_outbox_" + schema + "'")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }
}
