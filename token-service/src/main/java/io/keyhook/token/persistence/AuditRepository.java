package io.keyhook.token.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code tokens.audit_log}: append-only. */
@ApplicationScoped
public class AuditRepository {

    @Inject
    Pool pool;

    public Uni<Void> insertAll(List<AuditRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = rows.stream().map(r -> Tuple.from(new Object[] { SigningKeyRepository.at(r.occurredAt()),
                r.environment(), r.actor(), r.source(), r.action(), r.target(), r.result(), r.reason() })).toList();
        return pool
                .preparedQuery("insert into tokens.audit_log (occurred_at, environment, actor, source, action,"
                        + " target, result, reason) values ($1, $2, $3, $4, $5, $6, $7, $8)")
                .executeBatch(batch).replaceWithVoid();
    }

    /** Newest first, keyset-paged by id: entries with an id below {@code before} (null = from the newest). */
    public Uni<List<AuditRow>> page(String environment, String action, Instant from, Instant to, Long before,
            int limit) {
        return pool
                .preparedQuery("select * from tokens.audit_log where environment = $1"
                        + " and ($2::text is null or action = $2) and ($3::timestamptz is null or occurred_at >= $3)"
                        + " and ($4::timestamptz is null or occurred_at < $4) and ($5::bigint is null or id < $5)"
                        + " order by id desc limit $6")
                .execute(Tuple.from(new Object[] { environment, action, SigningKeyRepository.at(from),
                        SigningKeyRepository.at(to), before, limit }))
                .map(rows -> {
                    List<AuditRow> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new AuditRow(r.getLong("id"), SigningKeyRepository.instant(r, "occurred_at"),
                                r.getString("environment"), r.getString("actor"), r.getString("source"),
                                r.getString("action"), r.getString("target"), r.getString("result"),
                                r.getString("reason")));
                    }
                    return out;
                });
    }
}
