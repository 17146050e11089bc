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

/** {@code tokens.revoked_tokens} and {@code tokens.revocation_outbox}. */
@ApplicationScoped
public class RevocationRepository {

    /** A revocation record waiting to be published. */
    public record Pending(long id, String kind, String secretId, String clientId, String environment, String jti,
            String reason, Instant revokedAt, Instant tokenExpiresAt) {
    }

    @Inject
    Pool pool;

    /** Queues one record for a whole secret; false when one was queued before (by this or another replica). */
    public Uni<Boolean> secretRevoked(String secretId, String clientId, String environment, String reason, Instant at) {
        return pool
                .preparedQuery("insert into tokens.revocation_outbox (kind, secret_id, client_id, environment,"
                        + " reason, revoked_at) values ('secret', $1, $2, $3, $4, $5) on conflict do nothing")
                .execute(Tuple.of(secretId, clientId, environment, reason, SigningKeyRepository.at(at)))
                .map(r -> r.rowCount() == 1);
    }

    /** Revokes one token and queues its record, in one transaction; false when it was revoked before. */
    public Uni<Boolean> tokenRevoked(String jti, String clientId, String secretId, String environment,
            Instant expiresAt, Instant at) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("insert into tokens.revoked_tokens (jti, client_id,"
                        + " secret_id, environment, revoked_at, expires_at) values ($1, $2, $3, $4, $5, $6)"
                        + " on conflict do nothing")
                .execute(Tuple.from(new Object[] { jti, clientId, secretId, environment, SigningKeyRepository.at(at),
                        SigningKeyRepository.at(expiresAt) }))
                .chain(r -> r.rowCount() == 0 ? Uni.createFrom().item(false) : conn
                        .preparedQuery("insert into tokens.revocation_outbox (kind, secret_id, client_id,"
                                + " environment, jti, reason, revoked_at, token_expires_at)"
                                + " values ('token', $1, $2, $3, $4, 'token_revoked', $5, $6)")
                        .execute(Tuple.from(new Object[] { secretId, clientId, environment, jti,
                                SigningKeyRepository.at(at), SigningKeyRepository.at(expiresAt) }))
                        .replaceWith(true)));
    }

    public Uni<Boolean> isRevoked(String jti) {
        return pool.preparedQuery("select 1 from tokens.revoked_tokens where jti = $1").execute(Tuple.of(jti))
                .map(rows -> rows.size() > 0);
    }

    public Uni<List<Pending>> unpublished(int limit) {
        return pool
                .preparedQuery(
                        "select * from tokens.revocation_outbox where published_at is null order by id" + " limit $1")
                .execute(Tuple.of(limit)).map(rows -> {
                    List<Pending> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Pending(r.getLong("id"), r.getString("kind"), r.getString("secret_id"),
                                r.getString("client_id"), r.getString("environment"), r.getString("jti"),
                                r.getString("reason"), SigningKeyRepository.instant(r, "revoked_at"),
                                SigningKeyRepository.instant(r, "token_expires_at")));
                    }
                    return out;
                });
    }

    public Uni<Void> markPublished(List<Long> ids, Instant at) {
        return pool.preparedQuery("update tokens.revocation_outbox set published_at = $2 where id = any($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new), SigningKeyRepository.at(at))).replaceWithVoid();
    }

    /** Forgets revocations that no longer matter: tokens expired, records published long ago. */
    public Uni<Void> deleteExpired(Instant now, Instant publishedBefore) {
        return pool.preparedQuery("delete from tokens.revoked_tokens where expires_at < $1")
                .execute(Tuple.of(SigningKeyRepository.at(now)))
                .chain(() -> pool.preparedQuery("delete from tokens.revocation_outbox where published_at < $1")
                        .execute(Tuple.of(SigningKeyRepository.at(publishedBefore))))
                .replaceWithVoid();
    }
}
