package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.at;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The delivery log searched: an Environment's or one webhook's deliveries, newest first, by record
 * ({@code resourceId}), event id, {@code webhook-id}, status, type and time, a page at a time (keyset on
 * {@code sequence}). The statement names only the filters given, so each search shape is planned on its own index (V11;
 * the plans are in docs/deliveries.md and checked by DeliverySearchPlanTest).
 */
@ApplicationScoped
public class DeliverySearch {

    /** What to look for; null = any. {@code beforeSequence}: the keyset cursor. */
    public record Filter(String environment, String webhookId, String status, String type, Instant from, Instant to,
            String resourceId, String eventId, String messageId, Long beforeSequence) {
    }

    @Inject
    Pool pool;

    /** A search as one statement and its arguments. */
    public record Statement(String sql, List<Object> args) {
    }

    /** Up to {@code limit} deliveries matching {@code f}, newest first. */
    public Uni<List<DeliveryRow>> find(Filter f, int limit) {
        Statement st = statement(f, limit);
        return pool.preparedQuery(st.sql()).execute(Tuple.from(st.args())).map(rows -> {
            List<DeliveryRow> out = new ArrayList<>();
            rows.forEach(r -> out.add(DeliveryRow.of(r)));
            return out;
        });
    }

    /** The statement {@link #find} runs for {@code f} (the plan test EXPLAINs exactly this). */
    public static Statement statement(Filter f, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select * from dispatcher.deliveries where environment = $1");
        args.add(f.environment());
        and(sql, args, "webhook_id = $", f.webhookId());
        and(sql, args, "status = $", f.status());
        and(sql, args, "type = $", f.type());
        and(sql, args, "created_at >= $", at(f.from()));
        and(sql, args, "created_at < $", at(f.to()));
        and(sql, args, "resource_id = $", f.resourceId());
        and(sql, args, "event_id = $", f.eventId());
        and(sql, args, "msg_id = $", f.messageId());
        and(sql, args, "sequence < $", f.beforeSequence());
        args.add(limit);
        sql.append(" order by sequence desc limit $").append(args.size());
        return new Statement(sql.toString(), args);
    }

    private static void and(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value != null) {
            args.add(value);
            sql.append(" and ").append(condition).append(args.size());
        }
    }
}
