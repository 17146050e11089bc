package io.keyhook.common.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.OperationalEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * How a service emits an operational event (issue 31): one row in its own outbox, on the connection of the transaction
 * that records the fact, keyed by the Environment so one Environment's events keep their order on
 * {@code keyhook.operational-events}.
 */
public final class OperationalEventRows {

    private OperationalEventRows() {
    }

    /** Appends {@code event} to {@code <schema>.outbox} for {@code settings.operationalEventsTopic()}. */
    public static Uni<Void> append(SqlClient c, String schema, KafkaSettings settings, OperationalEvent event,
            ObjectMapper json) {
        return OutboxRows.append(c, schema,
                OutboxRows.Row.of(settings.operationalEventsTopic(), event.environment(), event, json));
    }
}
