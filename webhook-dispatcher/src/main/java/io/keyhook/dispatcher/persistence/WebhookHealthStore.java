package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.at;
import static io.keyhook.dispatcher.persistence.Timestamps.instant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code webhook_health} (V9): the edges of each webhook's failing and held episodes, shared by the replicas. Every
 * claim is one conditional statement, so of two replicas (or one restarted) exactly one wins an edge and emits its
 * operational event, in the caller's transaction.
 */
@ApplicationScoped
public class WebhookHealthStore {

    private final Pool pool;

    WebhookHealthStore(Pool pool) {
        this.pool = pool;
    }

    /** Starts a failing episode unless one is open: emits whether this call started it. */
    public Uni<Boolean> claimFailing(SqlClient c, String webhookId, String environment, Instant failingSince,
            Instant now) {
        return c.preparedQuery("insert into dispatcher.webhook_health as h (webhook_id, environment, failing_since,"
                + " failing_emitted_at, updated_at) values ($1, $2, $3, $4, $4) on conflict (webhook_id) do update"
                + " set failing_since = excluded.failing_since, failing_emitted_at = excluded.failing_emitted_at,"
                + " environment = excluded.environment, updated_at = excluded.updated_at"
                + " where h.failing_since is null returning webhook_id")
                .execute(Tuple.of(webhookId, environment, at(failingSince), at(now))).map(r -> r.rowCount() == 1);
    }

    /** Ends the open failing episode: emits when it had started, or null when none was open (or another ended it). */
    public Uni<Instant> claimRecovered(SqlClient c, String webhookId, Instant now) {
        return c.preparedQuery("with old as (select webhook_id, failing_since from dispatcher.webhook_health"
                + " where webhook_id = $1 and failing_since is not null for update)"
                + " update dispatcher.webhook_health h set failing_since = null, recovered_at = $2, updated_at = $2"
                + " from old where h.webhook_id = old.webhook_id returning old.failing_since")
                .execute(Tuple.of(webhookId, at(now)))
                .map(rows -> rows.size() == 0 ? null : instant(rows.iterator().next().getOffsetDateTime(0)));
    }

    /** The webhooks with an open failing episode. */
    public Uni<Set<String>> failing() {
        return pool.query("select webhook_id from dispatcher.webhook_health where failing_since is not null").execute()
                .map(rows -> {
                    Set<String> out = new HashSet<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /** A webhook's open failing episode. */
    public record Episode(String webhookId, String environment, Instant failingSince) {
    }

    /** Failing since before {@code before} and not yet asked to be disabled in this episode. */
    public Uni<List<Episode>> dueForDisable(Instant before) {
        return pool.preparedQuery("select webhook_id, environment, failing_since from dispatcher.webhook_health"
                + " where failing_since < $1 and (disable_claimed_at is null or disable_claimed_at < failing_since)")
                .execute(Tuple.of(at(before))).map(rows -> {
                    List<Episode> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Episode(r.getString(0), r.getString(1), instant(r.getOffsetDateTime(2))));
                    }
                    return out;
                });
    }

    /** Claims the episode's one request to disable: emits whether this call did. */
    public Uni<Boolean> claimDisable(Episode e, Instant now) {
        return pool
                .preparedQuery("update dispatcher.webhook_health set disable_claimed_at = $3, updated_at = $3"
                        + " where webhook_id = $1 and failing_since = $2"
                        + " and (disable_claimed_at is null or disable_claimed_at < failing_since)")
                .execute(Tuple.of(e.webhookId(), at(e.failingSince()), at(now))).map(r -> r.rowCount() == 1);
    }

    /** The request failed: a later round (of any replica) tries again. */
    public Uni<Void> releaseDisable(String webhookId, Instant claimedAt) {
        return pool
                .preparedQuery("update dispatcher.webhook_health set disable_claimed_at = null"
                        + " where webhook_id = $1 and disable_claimed_at = $2")
                .execute(Tuple.of(webhookId, at(claimedAt))).replaceWithVoid();
    }

    /** A webhook's held deliveries: how many, since when. */
    public record Held(String webhookId, String environment, long count, Instant oldest) {
    }

    /** Webhooks whose oldest held delivery was created before {@code before} (reads the held rows' index only). */
    public Uni<List<Held>> heldSince(Instant before) {
        return pool.preparedQuery("select webhook_id, min(environment), count(*), min(created_at)"
                + " from dispatcher.deliveries where status = 'held' group by webhook_id having min(created_at) < $1")
                .execute(Tuple.of(at(before))).map(rows -> {
                    List<Held> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Held(r.getString(0), r.getString(1), r.getLong(2),
                                instant(r.getOffsetDateTime(3))));
                    }
                    return out;
                });
    }

    /** Claims the held episode's one warning: emits whether this call did. */
    public Uni<Boolean> claimHeldWarning(SqlClient c, String webhookId, String environment, Instant now) {
        return c.preparedQuery("insert into dispatcher.webhook_health as h (webhook_id, environment, held_warned_at,"
                + " updated_at) values ($1, $2, $3, $3) on conflict (webhook_id) do update"
                + " set held_warned_at = excluded.held_warned_at, updated_at = excluded.updated_at"
                + " where h.held_warned_at is null returning webhook_id")
                .execute(Tuple.of(webhookId, environment, at(now))).map(r -> r.rowCount() == 1);
    }

    /** A webhook that holds nothing any more ends its held episode: the next one is warned about again. */
    public Uni<Integer> endHeldEpisodes() {
        return pool.query("update dispatcher.webhook_health h set held_warned_at = null"
                + " where held_warned_at is not null and not exists (select 1 from dispatcher.deliveries d"
                + " where d.webhook_id = h.webhook_id and d.status = 'held')").execute().map(r -> r.rowCount());
    }
}
