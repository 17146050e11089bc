package io.keyhook.common.kafka;

import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Hears the commits of a service's outbox rows: a trigger on {@code <schema>.outbox} calls {@code pg_notify} on the
 * channel {@code keyhook_outbox_<schema>}, which PostgreSQL delivers when the writing transaction commits (never for
 * one rolled back), to every replica listening. Each replica keeps one connection of its pool on {@code LISTEN} and
 * runs {@code onCommit} (which only queues work) for each notification, so a change is published at once instead of at
 * the relay's next round.
 * <p>
 * It only makes publishing sooner: while the connection is lost the relay's fixed interval still finds every row.
 * {@link #ensureListening()} is called from each round and reconnects when needed; it never blocks.
 */
final class CommitNotifications implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CommitNotifications.class);

    private enum State {
        IDLE, CONNECTING, LISTENING, CLOSED
    }

    private final Pool pool;
    private final String channel;
    private final Runnable onCommit;
    private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);
    private volatile SqlConnection connection;

    CommitNotifications(Pool pool, String schema, Runnable onCommit) {
        this.pool = pool;
        this.channel = channel(schema);
        this.onCommit = onCommit;
    }

    /** The channel the outbox trigger of {@code schema} notifies (see the services' migrations). */
    static String channel(String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        return "keyhook_outbox_" + schema;
    }

    /** True while a connection is listening: until then, and after it is lost, only the interval publishes. */
    boolean listening() {
        return state.get() == State.LISTENING;
    }

    /** Starts listening unless already listening or trying to; returns at once. */
    void ensureListening() {
        if (!state.compareAndSet(State.IDLE, State.CONNECTING)) {
            return;
        }
        pool.getConnection().subscribe().with(this::listenOn, failure -> {
            LOG.infof("Cannot listen on %s yet: %s", channel, failure.toString());
            state.compareAndSet(State.CONNECTING, State.IDLE);
        });
    }

    private void listenOn(SqlConnection c) {
        connection = c;
        PgConnection pg = PgConnection.cast(c);
        pg.notificationHandler(n -> onCommit.run());
        pg.closeHandler(() -> {
            // not given back: the pool drops a closed connection by itself, while one given back from here is handed
            // straight out again (to the next LISTEN, which then fails until the next scheduled round)
            if (state.compareAndSet(State.LISTENING, State.IDLE)) {
                LOG.infof("Stopped listening on %s (connection closed); listening again", channel);
                // a commit may have been missed while the connection was going: look now, and listen on another
                // (only after a listening connection: one lost while connecting waits for the next round, so a server
                // that closes every connection is not tried in a loop)
                onCommit.run();
            } else {
                state.compareAndSet(State.CONNECTING, State.IDLE);
            }
        });
        c.query("LISTEN " + channel).execute().subscribe().with(done -> {
            if (!state.compareAndSet(State.CONNECTING, State.LISTENING)) {
                release(c); // closed meanwhile
            }
        }, failure -> {
            LOG.infof("LISTEN %s failed: %s", channel, failure.toString());
            if (state.compareAndSet(State.CONNECTING, State.IDLE)) {
                c.closeAndForget();
            }
        });
    }

    @Override
    public void close() {
        state.set(State.CLOSED);
        SqlConnection c = connection;
        if (c != null) {
            release(c);
        }
    }

    /** Back to the pool without its LISTEN, which would otherwise stay on whatever borrows it next. */
    private static void release(SqlConnection c) {
        c.query("UNLISTEN *").execute().onTermination().invoke(c::closeAndForget).subscribe().with(done -> {
        }, failure -> {
        });
    }
}
