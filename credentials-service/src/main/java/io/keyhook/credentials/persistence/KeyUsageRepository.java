package io.keyhook.credentials.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code credentials.client_key_usage}: when each kid of a private_key_jwt client was first and last used. */
@ApplicationScoped
public class KeyUsageRepository {

    /**
     * One statement, no read-modify-write: a concurrent report of the same key waits on the row and then applies
     * least/greatest to what the other committed. Only an API client that exists gets a row. Counts a row when it was
     * inserted or one of its times moved.
     */
    private static final String UPSERT = "insert into credentials.client_key_usage"
            + " (client_id, kid, first_used_at, last_used_at)"
            + " select c.id, $2, $3, $4 from credentials.clients c where c.id = $1 and c.kind = 'api'"
            + " on conflict (client_id, kid) do update set"
            + " first_used_at = least(client_key_usage.first_used_at, excluded.first_used_at),"
            + " last_used_at = greatest(client_key_usage.last_used_at, excluded.last_used_at)"
            + " where excluded.first_used_at < client_key_usage.first_used_at"
            + " or excluded.last_used_at > client_key_usage.last_used_at";

    @Inject
    Pool pool;

    /** One key's use as a batch reports it (the earliest and latest time of that key in the batch). */
    public record Use(String clientId, String kid, Instant first, Instant last) {
    }

    /** What the client's responses list per kid. */
    public record Usage(String clientId, String kid, Instant firstUsedAt, Instant lastUsedAt) {
    }

    /** Records the uses in one transaction, in the order given (callers sort them: a fixed lock order). */
    public Uni<Integer> record(List<Use> uses) {
        return pool.withTransaction(conn -> upsertAll(conn, uses, 0, 0));
    }

    private static Uni<Integer> upsertAll(SqlConnection conn, List<Use> uses, int from, int count) {
        if (from == uses.size()) {
            return Uni.createFrom().item(count);
        }
        Use u = uses.get(from);
        return conn.preparedQuery(UPSERT).execute(Tuple.of(u.clientId(), u.kid(), at(u.first()), at(u.last())))
                .chain(r -> upsertAll(conn, uses, from + 1, count + r.rowCount()));
    }

    /** The recorded usage of these clients' keys, by client and kid. */
    public Uni<List<Usage>> ofClients(List<String> clientIds) {
        if (clientIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool
                .preparedQuery("select client_id, kid, first_used_at, last_used_at from credentials.client_key_usage"
                        + " where client_id = any($1) order by client_id, first_used_at, kid")
                .execute(Tuple.of(clientIds.toArray(String[]::new))).map(rows -> {
                    List<Usage> all = new ArrayList<>();
                    for (Row r : rows) {
                        all.add(new Usage(r.getString(0), r.getString(1), r.getOffsetDateTime(2).toInstant(),
                                r.getOffsetDateTime(3).toInstant()));
                    }
                    return all;
                });
    }

    /** A private_key_jwt key nobody used since the cutoff; {@code registeredAt} null for a jwksUri client's key. */
    public record DormantKey(String clientId, String clientName, String kid, Instant registeredAt, Instant lastUsedAt) {

        /** From when the key counts as unused. */
        public Instant since() {
            return lastUsedAt != null ? lastUsedAt : registeredAt;
        }
    }

    /**
     * Keys of the Environment's active private_key_jwt clients not used since {@code cutoff}: inline keys by their last
     * use, or their registration when never used; a jwksUri client's keys (known only from their use) by their last
     * use. Longest unused first, at most {@code limit}.
     */
    public Uni<List<DormantKey>> dormant(String environmentId, Instant cutoff, int limit) {
        return pool.preparedQuery("select * from (" + " select c.id, c.name, k.kid, k.registered_at, u.last_used_at,"
                + " coalesce(u.last_used_at, k.registered_at) as since"
                + " from credentials.client_keys k join credentials.clients c on c.id = k.client_id"
                + " left join credentials.client_key_usage u on u.client_id = k.client_id and u.kid = k.kid"
                + " where c.environment_id = $1 and c.kind = 'api' and c.status = 'active' and c.jwks is not null"
                + " union all" + " select c.id, c.name, u.kid, null, u.last_used_at, u.last_used_at"
                + " from credentials.client_key_usage u join credentials.clients c on c.id = u.client_id"
                + " where c.environment_id = $1 and c.kind = 'api' and c.status = 'active' and c.jwks_uri is not null"
                + ") d where d.since < $2 order by d.since, d.id, d.kid limit $3")
                .execute(Tuple.of(environmentId, at(cutoff), limit)).map(rows -> {
                    List<DormantKey> all = new ArrayList<>();
                    for (Row r : rows) {
                        OffsetDateTime registered = r.getOffsetDateTime(3);
                        OffsetDateTime last = r.getOffsetDateTime(4);
                        all.add(new DormantKey(r.getString(0), r.getString(1), r.getString(2),
                                registered == null ? null : registered.toInstant(),
                                last == null ? null : last.toInstant()));
                    }
                    return all;
                });
    }

    private static OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
