package io.keyhook.webhooks.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.SqlAuditStore;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.kafka.OutboxRows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code webhooks.webhooks}, {@code webhooks.outbox} and {@code webhooks.audit_log}, on the caller's connection. */
@ApplicationScoped
public class WebhookRepository {

    private static final TypeReference<List<WebhookState.SigningKey>> KEYS = new TypeReference<>() {
    };

    @Inject
    SqlAuditStore auditStore;

    @Inject
    ObjectMapper json;

    public Uni<List<WebhookRow>> list(SqlClient c, String environment) {
        return c.preparedQuery("select * from webhooks.webhooks where environment = $1 order by created_at, id")
                .execute(Tuple.of(environment)).map(rows -> {
                    List<WebhookRow> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    /** The webhook, row-locked when {@code lock}; null when absent or in another Environment. */
    public Uni<WebhookRow> find(SqlClient c, String environment, String id, boolean lock) {
        return c.preparedQuery(
                "select * from webhooks.webhooks where id = $1 and environment = $2" + (lock ? " for update" : ""))
                .execute(Tuple.of(id, environment)).map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /** The webhook whatever its Environment (internal calls from other Keyhook services), row-locked. */
    public Uni<WebhookRow> findAnyLocked(SqlClient c, String id) {
        return c.preparedQuery("select * from webhooks.webhooks where id = $1 for update").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /**
     * Counts the Environment's webhooks under a transaction-scoped advisory lock on the Environment, so two concurrent
     * creates cannot both pass the limit.
     */
    public Uni<Long> countLocked(SqlClient c, String environment) {
        return c.preparedQuery("select pg_advisory_xact_lock(hashtext('webhooks:' || $1))")
                .execute(Tuple.of(environment))
                .chain(() -> c
                        .preparedQuery(
                                "select count(*) from webhooks.webhooks where environment = $1 and purpose = 'data'")
                        .execute(Tuple.of(environment)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Void> insert(SqlClient c, WebhookRow w) {
        return c.preparedQuery("insert into webhooks.webhooks (id, environment, url, method, secret_ids, token_url,"
                + " notification_types, paused, version, created_at, updated_at, signature_scheme, signing_keys, tuning,"
                + " purpose, paused_reason, paused_at)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)")
                .execute(tuple(w)).replaceWithVoid();
    }

    public Uni<Void> update(SqlClient c, WebhookRow w) {
        return c.preparedQuery("update webhooks.webhooks set url = $3, method = $4, secret_ids = $5, token_url = $6,"
                + " notification_types = $7, paused = $8, version = $9, created_at = $10, updated_at = $11,"
                + " signature_scheme = $12, signing_keys = $13, tuning = $14, paused_reason = $16, paused_at = $17"
                + " where id = $1 and environment = $2 and purpose = $15").execute(tuple(w)).replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient c, String id) {
        return c.preparedQuery("delete from webhooks.webhooks where id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** A record for {@code webhooks.outbox} (null payload = tombstone), in the caller's transaction. */
    public Uni<Void> outbox(SqlClient c, String topic, String key, String payload) {
        return OutboxRows.append(c, "webhooks", OutboxRows.Row.of(topic, key, payload));
    }

    /**
     * One audit entry on {@code c}, inside the transaction of the change it records (common {@link SqlAuditStore}); the
     * target type is the action's subject ({@code webhook}, {@code rotation}).
     */
    public Uni<Void> audit(SqlClient c, String environment, String actor, String action, String target, String result,
            String detail) {
        String targetType = action.contains(".") ? action.substring(0, action.indexOf('.')) : null;
        return auditStore.insert(c,
                AuditEntry.now(environment, actor, null, action, targetType, target, result, detail));
    }

    private Tuple tuple(WebhookRow w) {
        return Tuple.from(new Object[] { w.id(), w.environment(), w.url(), w.method(),
                w.secretIds().toArray(String[]::new), w.tokenUrl(), w.notificationTypes().toArray(String[]::new),
                w.paused(), w.version(), at(w.createdAt()), at(w.updatedAt()), w.signatureScheme(),
                keysJson(w.signingKeys()), tuningJson(w.tuning()), w.purpose(), w.pausedReason(),
                w.pausedAt() == null ? null : at(w.pausedAt()) });
    }

    private WebhookRow map(Row r) {
        return new WebhookRow(r.getString("id"), r.getString("environment"), r.getString("url"), r.getString("method"),
                Arrays.asList(r.getArrayOfStrings("secret_ids")), r.getString("token_url"),
                Arrays.asList(r.getArrayOfStrings("notification_types")), r.getBoolean("paused"), r.getLong("version"),
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant(),
                r.getString("signature_scheme"), keys(r.getString("signing_keys")), tuning(r.getString("tuning")),
                r.getString("purpose"), r.getString("paused_reason"),
                r.getOffsetDateTime("paused_at") == null ? null : r.getOffsetDateTime("paused_at").toInstant());
    }

    /** The keys as stored: the contract's JSON (ciphertexts only). */
    private String keysJson(List<WebhookState.SigningKey> keys) {
        try {
            return keys == null ? null : json.writeValueAsString(keys);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("signing keys not writable", e);
        }
    }

    private List<WebhookState.SigningKey> keys(String stored) {
        try {
            return stored == null ? null : List.copyOf(json.readValue(stored, KEYS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("signing keys not readable", e);
        }
    }

    /** Tuning as stored: the contract's JSON (issue 31), null for the dispatcher's defaults. */
    private String tuningJson(WebhookState.Tuning t) {
        try {
            return t == null ? null : json.writeValueAsString(t);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tuning not writable", e);
        }
    }

    private WebhookState.Tuning tuning(String stored) {
        try {
            return stored == null ? null : json.readValue(stored, WebhookState.Tuning.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tuning not readable", e);
        }
    }

    private static OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
