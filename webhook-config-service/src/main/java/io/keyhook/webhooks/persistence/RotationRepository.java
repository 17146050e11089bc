package io.keyhook.webhooks.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code webhooks.rotations}. */
@ApplicationScoped
public class RotationRepository {

    /** Inserts; emits false when another rotation of the same secret is still open. */
    public Uni<Boolean> insert(SqlClient c, RotationRow r) {
        return c.preparedQuery("insert into webhooks.rotations (id, environment, client_id, old_secret_id, state,"
                + " finish_after, started_by, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
                + " on conflict do nothing")
                .execute(Tuple.from(new Object[] { r.id(), r.environment(), r.clientId(), r.oldSecretId(), r.state(),
                        at(r.finishAfter()), r.startedBy(), at(r.createdAt()) }))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Moves a rotation on; a rotation that is done or abandoned never moves again (a step that lost a race to the
     * admin's finish, or to another replica, cannot undo it). Emits whether the row changed.
     */
    public Uni<Boolean> update(SqlClient c, RotationRow r) {
        return c.preparedQuery("update webhooks.rotations set new_secret_id = $2, state = $3, webhook_ids = $4,"
                + " last_error = $5, updated_at = $6 where id = $1 and state not in ('done', 'abandoned')")
                .execute(Tuple.from(new Object[] { r.id(), r.newSecretId(), r.state(),
                        r.webhookIds().toArray(String[]::new), r.lastError(), at(r.updatedAt()) }))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Records a verification's outcome (JSON); a rotation that is done or abandoned keeps its last one. */
    public Uni<Boolean> saveChecks(SqlClient c, String id, String checks, Instant checkedAt) {
        return c.preparedQuery("update webhooks.rotations set checks = $2, checked_at = $3"
                + " where id = $1 and state not in ('done', 'abandoned')").execute(Tuple.of(id, checks, at(checkedAt)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Runs {@code job} only if no other replica runs it now: a session advisory lock on one connection, released when
     * the job ends (or the connection drops). Emits false when another replica holds it.
     */
    public Uni<Boolean> exclusively(Pool pool, long lockId, Supplier<Uni<Void>> job) {
        return pool.withConnection(
                c -> c.preparedQuery("select pg_try_advisory_lock($1)").execute(Tuple.of(lockId)).chain(rows -> {
                    if (!rows.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().item(false);
                    }
                    return job.get().onTermination().call(() -> c.preparedQuery("select pg_advisory_unlock($1)")
                            .execute(Tuple.of(lockId)).onFailure().recoverWithNull()).replaceWith(true);
                }));
    }

    public Uni<RotationRow> find(SqlClient c, String environment, String id) {
        return c.preparedQuery("select * from webhooks.rotations where environment = $1 and id = $2")
                .execute(Tuple.of(environment, id)).map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    public Uni<List<RotationRow>> list(SqlClient c, String environment, int limit) {
        return c.preparedQuery(
                "select * from webhooks.rotations where environment = $1 order by created_at desc" + " limit $2")
                .execute(Tuple.of(environment, limit)).map(RotationRepository::all);
    }

    /** Open rotations the background job should move on: finishing, due to finish, or stuck while starting. */
    public Uni<List<RotationRow>> toResume(SqlClient c, Instant now, Instant startedBefore) {
        return c.preparedQuery("select * from webhooks.rotations where state = 'finishing'"
                + " or (state = 'overlapping' and finish_after <= $1)"
                + " or (state = 'starting' and created_at < $2) order by created_at limit 100")
                .execute(Tuple.of(at(now), at(startedBefore))).map(RotationRepository::all);
    }

    private static List<RotationRow> all(RowSet<Row> rows) {
        List<RotationRow> out = new ArrayList<>();
        rows.forEach(r -> out.add(map(r)));
        return out;
    }

    private static RotationRow map(Row r) {
        String[] webhooks = r.getArrayOfStrings("webhook_ids");
        return new RotationRow(r.getString("id"), r.getString("environment"), r.getString("client_id"),
                r.getString("old_secret_id"), r.getString("new_secret_id"), r.getString("state"),
                webhooks == null ? List.of() : Arrays.asList(webhooks), instant(r.getOffsetDateTime("finish_after")),
                r.getString("started_by"), r.getString("last_error"), instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("updated_at")), r.getString("checks"),
                instant(r.getOffsetDateTime("checked_at")));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
