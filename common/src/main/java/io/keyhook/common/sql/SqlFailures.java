package io.keyhook.common.sql;

import io.vertx.pgclient.PgException;

/**
 * Tells a statement PostgreSQL refused because of what one of its rows holds (a NUL in a text value, a value too long
 * for an index entry, a broken constraint) from a failure of the database itself (a lost connection, a restart, a full
 * pool). The first is never fixed by waiting: a batch that meets it is split until the row is found and parked. The
 * second is: wait and try again, as before.
 */
public final class SqlFailures {

    private SqlFailures() {
    }

    /** SQLSTATE classes 22 (data exception), 23 (integrity constraint violation), 54 (program limit exceeded). */
    public static boolean isRowLevel(Throwable e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /** The SQLSTATE of the first PostgreSQL error in the cause chain, or null when there is none. */
    public static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return pg.getSqlState();
            }
        }
        return null;
    }
}
