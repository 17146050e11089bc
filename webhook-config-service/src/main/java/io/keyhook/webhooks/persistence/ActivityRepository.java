package io.keyhook.webhooks.persistence;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code webhooks.activity} (each Environment's operational events, once per event id) and
 * {@code webhooks.notification_queue} (those waiting to be e-mailed).
 */
@ApplicationScoped
public class ActivityRepository {

    /** Stores the event unless the Environment has it already; whether it was new. */
    public Uni<Boolean> insert(SqlClient c, ActivityRow a) {
        return c.preparedQuery("insert into webhooks.activity (environment, event_id, type, time, subject, data,"
                + " received_at) values ($1, $2, $3, $4, $5, $6, $7) on conflict (environment, event_id) do nothing")
                .execute(Tuple
                        .from(new Object[] { a.environment(), a.eventId(), a.type(), a.time().atOffset(ZoneOffset.UTC),
                                a.subject(), a.data(), a.receivedAt().atOffset(ZoneOffset.UTC) }))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Queues the event for e-mail when its Environment has notification addresses (once per event id). */
    public Uni<Void> queueForMail(SqlClient c, String environment, String eventId, Instant at) {
        return c.preparedQuery("insert into webhooks.notification_queue (environment, event_id, queued_at)"
                + " select $1, $2, $3 where exists (select 1 from webhooks.notification_settings s"
                + " where s.environment = $1 and cardinality(s.emails) > 0) on conflict do nothing")
                .execute(Tuple.of(environment, eventId, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /**
     * A page of the Environment's feed, newest first: rows before {@code beforeSeq} (null: from the newest), of
     * {@code type} when given, at most {@code max} (the caller asks one more than it shows).
     */
    public Uni<List<ActivityRow>> page(SqlClient c, String environment, String type, Long beforeSeq, int max) {
        return c.preparedQuery("select * from webhooks.activity where environment = $1"
                + " and ($2::text is null or type = $2) and ($3::bigint is null or seq < $3)"
                + " order by seq desc limit $4").execute(Tuple.of(environment, type, beforeSeq, max)).map(rows -> {
                    List<ActivityRow> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    /** The events of the Environment's pending e-mail, oldest first. */
    public Uni<List<ActivityRow>> pending(SqlClient c, String environment, int max) {
        return c.preparedQuery("select a.* from webhooks.notification_queue q join webhooks.activity a"
                + " on a.environment = q.environment and a.event_id = q.event_id"
                + " where q.environment = $1 and q.sent_at is null order by a.seq limit $2")
                .execute(Tuple.of(environment, max)).map(rows -> {
                    List<ActivityRow> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    /**
     * {@code failingSince} of the latest {@code keyhook.webhook.failing} event this service received for the webhook,
     * or null: what a disable for failing reports when the caller did not say.
     */
    public Uni<String> lastFailingSince(SqlClient c, String environment, String webhookId) {
        return c.preparedQuery("select data::jsonb ->> 'failingSince' from webhooks.activity where environment = $1"
                + " and type = 'keyhook.webhook.failing' and subject = $2 order by seq desc limit 1")
                .execute(Tuple.of(environment, webhookId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** Deletes feed entries received before {@code cutoff}, and sent or orphaned queue rows; how many entries. */
    public Uni<Integer> prune(SqlClient c, Instant cutoff) {
        return c.preparedQuery("delete from webhooks.activity where received_at < $1")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount())
                .call(() -> c.preparedQuery("delete from webhooks.notification_queue where queued_at < $1")
                        .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC))));
    }

    private static ActivityRow map(Row r) {
        return new ActivityRow(r.getLong("seq"), r.getString("environment"), r.getString("event_id"),
                r.getString("type"), r.getOffsetDateTime("time").toInstant(), r.getString("subject"),
                r.getString("data"), r.getOffsetDateTime("received_at").toInstant());
    }
}
