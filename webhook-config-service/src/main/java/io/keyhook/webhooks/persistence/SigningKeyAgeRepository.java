package io.keyhook.webhooks.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code webhooks.signing_key_ages}: what the maximum-age job did to a webhook's own keys. Every step is one
 * conditional statement answering whether this call made it, so on several replicas each step is taken (and audited)
 * once.
 */
@ApplicationScoped
public class SigningKeyAgeRepository {

    /** Flags the key; true when this call did (false: it was flagged before). */
    public Uni<Boolean> flag(SqlClient c, String keyId, String webhookId, String environment, Instant at) {
        return c.preparedQuery("insert into webhooks.signing_key_ages (key_id, webhook_id, environment, age_flagged_at)"
                + " values ($1, $2, $3, $4) on conflict (key_id) do nothing")
                .execute(Tuple.of(keyId, webhookId, environment, at(at))).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Claims the right to check (ping) and expire a flagged key until {@code until}; false when it is not flagged, is
     * expired already, or another replica holds an unexpired claim.
     */
    public Uni<Boolean> claimExpiry(SqlClient c, String keyId, Instant now, Instant until) {
        return c.preparedQuery("update webhooks.signing_key_ages set expiry_claimed_until = $3 where key_id = $1"
                + " and expired_at is null and (expiry_claimed_until is null or expiry_claimed_until < $2)")
                .execute(Tuple.of(keyId, at(now), at(until))).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> releaseClaim(SqlClient c, String keyId) {
        return c.preparedQuery("update webhooks.signing_key_ages set expiry_claimed_until = null where key_id = $1")
                .execute(Tuple.of(keyId)).replaceWithVoid();
    }

    /** Records the first refusal of the key's expiry; true when this call did (false: refused before). */
    public Uni<Boolean> blocked(SqlClient c, String keyId, String reason, Instant at) {
        return c.preparedQuery("update webhooks.signing_key_ages set expiry_blocked_at = $2,"
                + " expiry_blocked_reason = $3 where key_id = $1 and expiry_blocked_at is null")
                .execute(Tuple.of(keyId, at(at), reason)).map(rows -> rows.rowCount() == 1);
    }

    /** Records the expiry; true when this call did. */
    public Uni<Boolean> expired(SqlClient c, String keyId, Instant at) {
        return c.preparedQuery("update webhooks.signing_key_ages set expired_at = $2, expiry_claimed_until = null"
                + " where key_id = $1 and expired_at is null").execute(Tuple.of(keyId, at(at)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** When each of the webhook's keys was flagged (keys never flagged are absent). */
    public Uni<Map<String, Instant>> flaggedAt(SqlClient c, String webhookId) {
        return c.preparedQuery("select key_id, age_flagged_at from webhooks.signing_key_ages where webhook_id = $1")
                .execute(Tuple.of(webhookId)).map(rows -> {
                    Map<String, Instant> out = new HashMap<>();
                    rows.forEach(
                            r -> out.put(r.getString("key_id"), r.getOffsetDateTime("age_flagged_at").toInstant()));
                    return out;
                });
    }

    private static OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
