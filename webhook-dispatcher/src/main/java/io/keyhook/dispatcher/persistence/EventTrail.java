package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.instant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** What became of one event: its deliveries (index {@code deliveries_event}), with each one's latest attempt. */
@ApplicationScoped
public class EventTrail {

    /** One delivery of the event, as the trail shows it. */
    public record Sent(String webhookId, String deliveryId, String status, int attempts, Integer lastStatus,
            Instant lastAttemptAt, String type, String subject, String resourceId, Instant createdAt) {
    }

    private final Pool pool;

    EventTrail(Pool pool) {
        this.pool = pool;
    }

    /** The event's deliveries in {@code environment}, oldest webhook first; empty when it went to none. */
    public Uni<List<Sent>> deliveries(String environment, String eventId) {
        return pool.preparedQuery("select d.webhook_id, d.id, d.status, d.attempts, d.last_status, d.type,"
                + " d.ordering_key, d.resource_id, d.created_at, (select max(a.started_at) from dispatcher.attempts a"
                + " where a.delivery_id = d.id) as last_attempt_at from dispatcher.deliveries d"
                + " where d.event_id = $2 and d.environment = $1 order by d.sequence limit 1000")
                .execute(Tuple.of(environment, eventId)).map(rows -> {
                    List<Sent> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Sent(r.getString("webhook_id"), r.getString("id"),
                            r.getString("status"), r.getInteger("attempts"), r.getInteger("last_status"),
                            instant(r.getOffsetDateTime("last_attempt_at")), r.getString("type"),
                            r.getString("ordering_key"), r.getString("resource_id"),
                            instant(r.getOffsetDateTime("created_at")))));
                    return out;
                });
    }
}
