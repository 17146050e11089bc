package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.at;
import static io.keyhook.dispatcher.persistence.Timestamps.instant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The delivery log as the API reads it: a webhook's deliveries, newest first, and their attempts. */
@ApplicationScoped
public class DeliveryLog {

    @Inject
    Pool pool;

    /** A page of a webhook's delivery log, newest first; ids below {@code beforeSequence} when given. */
    public Uni<List<DeliveryRow>> page(String environment, String webhookId, String status, String type, Instant from,
            Instant to, Long beforeSequence, int limit) {
        return pool.preparedQuery("select * from dispatcher.deliveries where environment = $1 and webhook_id = $2"
                + " and ($3::text is null or status = $3) and ($4::text is null or type = $4)"
                + " and ($5::timestamptz is null or created_at >= $5) and ($6::timestamptz is null or created_at < $6)"
                + " and ($7::bigint is null or sequence < $7) order by sequence desc limit $8")
                .execute(Tuple.from(
                        new Object[] { environment, webhookId, status, type, at(from), at(to), beforeSequence, limit }))
                .map(rows -> {
                    List<DeliveryRow> out = new ArrayList<>();
                    rows.forEach(r -> out.add(DeliveryRow.of(r)));
                    return out;
                });
    }

    public Uni<DeliveryRow> find(String environment, String webhookId, String id) {
        return pool
                .preparedQuery("select * from dispatcher.deliveries where environment = $1 and webhook_id = $2"
                        + " and id = $3")
                .execute(Tuple.of(environment, webhookId, id))
                .map(rows -> rows.size() == 0 ? null : DeliveryRow.of(rows.iterator().next()));
    }

    /** One attempt as the delivery log shows it. */
    public record AttemptRow(int attempt, Instant startedAt, Integer latencyMs, Integer statusCode, String error,
            String response) {
    }

    /** The latest attempt of each of these deliveries (those attempted), by delivery id: one query for a page. */
    public Uni<Map<String, AttemptRow>> lastAttempts(List<String> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool
                .preparedQuery("select distinct on (delivery_id) * from dispatcher.attempts"
                        + " where delivery_id = any($1) order by delivery_id, attempt desc")
                .execute(Tuple.of(deliveryIds.toArray(String[]::new))).map(rows -> {
                    Map<String, AttemptRow> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("delivery_id"),
                                new AttemptRow(r.getInteger("attempt"), instant(r.getOffsetDateTime("started_at")),
                                        r.getInteger("latency_ms"), r.getInteger("status_code"), r.getString("error"),
                                        r.getString("response")));
                    }
                    return out;
                });
    }

    public Uni<List<AttemptRow>> attempts(String deliveryId) {
        return pool.preparedQuery("select * from dispatcher.attempts where delivery_id = $1 order by attempt")
                .execute(Tuple.of(deliveryId)).map(rows -> {
                    List<AttemptRow> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new AttemptRow(r.getInteger("attempt"), instant(r.getOffsetDateTime("started_at")),
                                r.getInteger("latency_ms"), r.getInteger("status_code"), r.getString("error"),
                                r.getString("response")));
                    }
                    return out;
                });
    }
}
