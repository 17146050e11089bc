package io.keyhook.dispatcher.persistence;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Operational events (issue 31) into {@code dispatcher.outbox}, many in one statement, in the caller's transaction: the
 * transaction that records the fact (a delivery ending failed, a webhook's failing episode) writes its event, so the
 * event exists exactly when the fact commits. The shared relay publishes the rows (common OutboxRelay).
 */
@ApplicationScoped
public class OperationalOutbox {

    /**
     * One row: {@code key} is the Environment (the topic's key); {@code ifDelivery}, when not null, keeps the row only
     * if that delivery exists in the same transaction (a batch whose delivery row already existed under another id, an
     * event read again, emits nothing).
     */
    public record Row(String topic, String key, String payload, java.time.Instant createdAt, String ifDelivery) {
    }

    /** Appends {@code rows}, in their order, with one statement (none when empty). */
    public Uni<Void> append(SqlClient c, List<Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        String[] delivery = new String[n], topic = new String[n], key = new String[n], payload = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            delivery[i] = r.ifDelivery();
            topic[i] = r.topic();
            key[i] = r.key();
            payload[i] = r.payload();
            created[i] = r.createdAt().atOffset(ZoneOffset.UTC);
        }
        return c.preparedQuery("insert into dispatcher.outbox (topic, record_key, payload, created_at)"
                + " select u.topic, u.key, u.payload, u.created from unnest($1::text[], $2::text[], $3::text[],"
                + " $4::text[], $5::timestamptz[]) with ordinality as u(delivery_id, topic, key, payload, created, n)"
                + " where u.delivery_id is null or exists (select 1 from dispatcher.deliveries d"
                + " where d.id = u.delivery_id) order by u.n")
                .execute(Tuple.from(new Object[] { delivery, topic, key, payload, created })).replaceWithVoid();
    }
}
