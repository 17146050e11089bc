package io.keyhook.token.persistence;

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
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code tokens.signing_keys}. */
@ApplicationScoped
public class SigningKeyRepository {

    // arbitrary but fixed: one replica at a time decides on a new key
    private static final long LOCK_ID = 0x6b68_746f_6b65_6e6bL;

    @Inject
    Pool pool;

    /** Keys that are still published, newest first. */
    public Uni<List<SigningKeyRow>> published(Instant now) {
        return published(pool, now);
    }

    /**
     * Takes the key-decision lock in the caller's transaction (held until it ends), so replicas do not each add a key.
     */
    public Uni<Void> lock(SqlClient conn) {
        return conn.preparedQuery("select pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK_ID)).replaceWithVoid();
    }

    public Uni<List<SigningKeyRow>> published(SqlClient conn, Instant now) {
        return conn.preparedQuery("select * from tokens.signing_keys where expires_at is null or expires_at > $1"
                + " order by activate_at desc").execute(Tuple.of(at(now))).map(rows -> {
                    List<SigningKeyRow> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Uni<Void> insert(SqlClient conn, SigningKeyRow k) {
        return conn
                .preparedQuery("insert into tokens.signing_keys (kid, algorithm, public_key, private_ciphertext,"
                        + " created_at, activate_at) values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(k.kid(), k.algorithm(), k.publicKey(), k.privateCiphertext(), at(k.createdAt()),
                        at(k.activateAt())))
                .replaceWithVoid();
    }

    /** Stops a key signing at {@code retireAt}; it stays published until {@code expiresAt}. */
    /**
     * Revokes a key now: it stops signing and leaves the JWKS at once, and every token it signed stops verifying. Emits
     * false when no published key has this kid.
     */
    public Uni<Boolean> revoke(SqlClient conn, String kid, Instant at) {
        return conn
                .preparedQuery("update tokens.signing_keys set activate_at = least(activate_at, $2),"
                        + " retire_at = least(coalesce(retire_at, $2), $2), expires_at = $2"
                        + " where kid = $1 and (expires_at is null or expires_at > $2)")
                .execute(Tuple.of(kid, at(at))).map(r -> r.rowCount() > 0);
    }

    public Uni<Void> retire(SqlClient conn, String kid, Instant retireAt, Instant expiresAt) {
        return conn.preparedQuery("update tokens.signing_keys set retire_at = $2, expires_at = $3 where kid = $1")
                .execute(Tuple.of(kid, at(retireAt), at(expiresAt))).replaceWithVoid();
    }

    private static SigningKeyRow map(Row r) {
        return new SigningKeyRow(r.getString("kid"), r.getString("algorithm"), r.getString("public_key"),
                r.getString("private_ciphertext"), instant(r, "created_at"), instant(r, "activate_at"),
                instant(r, "retire_at"), instant(r, "expires_at"));
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
