package io.keyhook.webhooks.persistence;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code webhooks.notification_windows} and the pending rows of {@code webhooks.notification_queue}: which
 * Environment's message is due, the claim on it, and what a send (or a failed one) leaves behind.
 */
@ApplicationScoped
public class NotificationWindowRepository {

    /**
     * Environments whose message is due at {@code now}: the oldest pending event has waited {@code gather}, the last
     * message went out at least {@code minInterval} ago, and no retry is scheduled later.
     */
    public Uni<List<String>> due(SqlClient c, Instant now, Duration gather, Duration minInterval, int max) {
        return c.preparedQuery("select q.environment from webhooks.notification_queue q"
                + " left join webhooks.notification_windows w on w.environment = q.environment"
                + " where q.sent_at is null group by q.environment, w.last_sent_at, w.retry_at"
                + " having min(q.queued_at) <= $1::timestamptz - make_interval(secs => $2::float8)"
                + " and (w.last_sent_at is null or w.last_sent_at <= $1::timestamptz - make_interval(secs => $3::float8))"
                + " and (w.retry_at is null or w.retry_at <= $1::timestamptz) order by min(q.queued_at) limit $4")
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), seconds(gather), seconds(minInterval), max))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /**
     * Locks the Environment's window row for this transaction, or answers false when another round holds it (skip: it
     * is sending that Environment's message). Also answers false when, under the lock, the message is no longer due
     * (another round sent it just before).
     */
    public Uni<Boolean> claim(SqlClient c, String environment, Instant now, Duration minInterval) {
        return c.preparedQuery(
                "insert into webhooks.notification_windows (environment) values ($1)" + " on conflict do nothing")
                .execute(Tuple.of(environment))
                .chain(() -> c.preparedQuery("select last_sent_at, retry_at from webhooks.notification_windows"
                        + " where environment = $1 for update skip locked").execute(Tuple.of(environment)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return false;
                    }
                    var r = rows.iterator().next();
                    var last = r.getOffsetDateTime("last_sent_at");
                    var retry = r.getOffsetDateTime("retry_at");
                    boolean rateOk = last == null || !last.toInstant().plus(minInterval).isAfter(now);
                    boolean retryOk = retry == null || !retry.toInstant().isAfter(now);
                    return rateOk && retryOk;
                });
    }

    /** The message with these events went out: they are done, and the rate limit counts from now. */
    public Uni<Void> sent(SqlClient c, String environment, List<String> eventIds, Instant now) {
        return c.preparedQuery("update webhooks.notification_queue set sent_at = $3 where environment = $1"
                + " and event_id = any($2)")
                .execute(Tuple.of(environment, eventIds.toArray(String[]::new), now.atOffset(ZoneOffset.UTC)))
                .chain(() -> c
                        .preparedQuery("update webhooks.notification_windows set last_sent_at = $2,"
                                + " retry_at = null, failures = 0, last_error = null where environment = $1")
                        .execute(Tuple.of(environment, now.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    /** Nothing to send after all (no addresses left): the events are done without a message. */
    public Uni<Void> dropped(SqlClient c, String environment, Instant now) {
        return c.preparedQuery(
                "update webhooks.notification_queue set sent_at = $2 where environment = $1" + " and sent_at is null")
                .execute(Tuple.of(environment, now.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** The send failed: the events stay queued, tried again at {@code retryAt}. */
    public Uni<Void> failed(SqlClient c, String environment, Instant retryAt, String error) {
        return c.preparedQuery("update webhooks.notification_windows set retry_at = $2, failures = failures + 1,"
                + " last_error = $3 where environment = $1")
                .execute(Tuple.of(environment, retryAt.atOffset(ZoneOffset.UTC), error)).replaceWithVoid();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
