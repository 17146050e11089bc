package io.keyhook.common.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.keyhook.common.config.AuditConfig;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code <schema>.audit_log} through the Vert.x SQL client, the schema being {@code keyhook.audit.schema}: batches from
 * {@link AuditLog}, single entries inside a caller's transaction, and the newest-first pages the read APIs show.
 */
@ApplicationScoped
@DefaultBean
public class SqlAuditStore implements AuditStore {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    @Inject
    AuditConfig config;

    @Inject
    Instance<Pool> pool;

    @Override
    public Uni<Void> insertAll(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.get().preparedQuery(insert()).executeBatch(entries.stream().map(SqlAuditStore::tuple).toList())
                .replaceWithVoid();
    }

    /** Writes one entry on {@code client}, e.g. inside the transaction of the change it records (both or neither). */
    public Uni<Void> insert(SqlClient client, AuditEntry entry) {
        return client.preparedQuery(insert()).execute(tuple(entry.cleaned())).replaceWithVoid();
    }

    /**
     * The page {@code q} asks for, read with one row more than it shows (the {@link AuditPage} paging rule): the one
     * audit read of every service.
     */
    public Uni<AuditPage<AuditEntry>> page(AuditQuery q) {
        return pool.get()
                .preparedQuery("select * from " + table() + " where environment = $1"
                        + " and ($2::text is null or actor = $2) and ($3::text is null or action = $3)"
                        + " and ($4::text is null or target = $4) and ($5::text is null or result = $5)"
                        + " and ($6::timestamptz is null or occurred_at >= $6)"
                        + " and ($7::timestamptz is null or occurred_at < $7) and ($8::bigint is null or id < $8)"
                        + " order by id desc limit $9")
                .execute(Tuple.from(new Object[] { q.environment(), q.actor(), q.action(), q.target(), q.result(),
                        at(q.from()), at(q.to()), q.before(), q.limit() + 1 }))
                .map(rows -> {
                    List<AuditEntry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new AuditEntry(r.getLong("id"), r.getOffsetDateTime("occurred_at").toInstant(),
                                r.getString("environment"), r.getString("actor"), r.getString("source"),
                                r.getString("action"), r.getString("target_type"), r.getString("target"),
                                r.getString("result"), r.getString("detail")));
                    }
                    return AuditPage.of(out, q.limit(), AuditEntry::id);
                });
    }

    private String insert() {
        return "insert into " + table() + " (occurred_at, environment, actor, source, action, target_type, target,"
                + " result, detail) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    }

    private String table() {
        String schema = config.schema()
                .orElseThrow(() -> new IllegalStateException("keyhook.audit.schema is not set: no audit_log here"));
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalStateException("keyhook.audit.schema is not a schema name");
        }
        return schema + ".audit_log";
    }

    private static Tuple tuple(AuditEntry e) {
        return Tuple.from(new Object[] { at(e.occurredAt()), e.environment(), e.actor(), e.source(), e.action(),
                e.targetType(), e.target(), e.result(), e.detail() });
    }

    private static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
