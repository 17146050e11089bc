package io.keyhook.common.kafka;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.tracing.TraceContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How a change's record enters its service's {@code <schema>.outbox}, the table {@link OutboxRelay} publishes: one row
 * per record, written on the change's own connection, inside its transaction, so the record exists exactly when the
 * change commits. The change's trace goes along as the row's {@code traceparent} (the record's header).
 */
public final class OutboxRows {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private OutboxRows() {
    }

    /** One outbox row: {@code payload} is the record's JSON, null for a tombstone. */
    public record Row(String topic, String key, String payload, Instant createdAt, String traceparent) {

        /** A row written now, in the current trace. */
        public static Row of(String topic, String key, String payload) {
            return new Row(topic, key, payload, Instant.now(), TraceContext.current());
        }

        /** A row carrying {@code value} as JSON (null = tombstone). */
        public static Row of(String topic, String key, Object value, ObjectMapper json) {
            return of(topic, key, value == null ? null : toJson(value, json));
        }
    }

    /** Appends {@code row} to {@code <schema>.outbox} on {@code c}, the connection of the change's transaction. */
    public static Uni<Void> append(SqlClient c, String schema, Row row) {
        if (!SCHEMA.matcher(schema).matches()) {
            return Uni.createFrom().failure(new IllegalArgumentException("not a schema name: " + schema));
        }
        return c.preparedQuery("insert into " + schema + ".outbox (topic, record_key, payload, created_at, traceparent)"
                + " values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(row.topic(), row.key(), row.payload(), row.createdAt().atOffset(ZoneOffset.UTC),
                        row.traceparent()))
                .replaceWithVoid();
    }

    /** The record's JSON; a record that cannot be written is a defect of its type, not of the change. */
    public static String toJson(Object value, ObjectMapper json) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an outbox record of " + value.getClass().getSimpleName(),
                    e);
        }
    }
}
