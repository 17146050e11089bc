package io.keyhook.token.persistence;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.kafka.OutboxRows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code tokens.revoked_tokens} and {@code tokens.revocations}, each written with its {@code tokens.outbox} record
 * (published by the common outbox relay) in the caller's transaction.
 */
@ApplicationScoped
public class RevocationRepository {

    /** The record to publish with a revocation: topic, key (the secret id) and JSON payload. */
    public record Outgoing(String topic, String key, String payload) {
    }

    @Inject
    Pool pool;

    /** Records one revocation of a whole secret, with its outbox record; false when one was recorded before. */
    public Uni<Boolean> secretRevoked(SqlClient conn, String secretId, String clientId, String environment,
            String reason, Instant at, Outgoing record) {
        return conn
                .preparedQuery("insert into tokens.revocations (kind, secret_id, client_id, environment, reason,"
                        + " revoked_at) values ('secret', $1, $2, $3, $4, $5) on conflict do nothing")
                .execute(Tuple.of(secretId, clientId, environment, reason, SigningKeyRepository.at(at)))
                .chain(r -> r.rowCount() == 0 ? Uni.createFrom().item(false) : outbox(conn, record).replaceWith(true));
    }

    /** Revokes one token and queues its record; false when it was revoked before. */
    public Uni<Boolean> tokenRevoked(SqlClient conn, String jti, String clientId, String secretId, String environment,
            Instant expiresAt, Instant at, Outgoing record) {
        return conn
                .preparedQuery("insert into tokens.revoked_tokens (jti, client_id,"
                        + " secret_id, environment, revoked_at, expires_at) values ($1, $2, $3, $4, $5, $6)"
                        + " on conflict do nothing")
                .execute(Tuple.from(new Object[] { jti, clientId, secretId, environment, SigningKeyRepository.at(at),
                        SigningKeyRepository.at(expiresAt) }))
                .chain(r -> r.rowCount() == 0 ? Uni.createFrom().item(false)
                        : conn.preparedQuery("insert into tokens.revocations (kind, secret_id, client_id,"
                                + " environment, jti, reason, revoked_at, token_expires_at)"
                                + " values ('token', $1, $2, $3, $4, 'token_revoked', $5, $6)")
                                .execute(Tuple.from(new Object[] { secretId, clientId, environment, jti,
                                        SigningKeyRepository.at(at), SigningKeyRepository.at(expiresAt) }))
                                .chain(() -> outbox(conn, record)).replaceWith(true));
    }

    /** Queues a record in the caller's transaction. */
    public static Uni<Void> queue(SqlClient conn, Outgoing record) {
        return outbox(conn, record);
    }

    private static Uni<Void> outbox(SqlClient conn, Outgoing record) {
        return OutboxRows.append(conn, "tokens", OutboxRows.Row.of(record.topic(), record.key(), record.payload()));
    }

    public Uni<Boolean> isRevoked(String jti) {
        return pool.preparedQuery("select 1 from tokens.revoked_tokens where jti = $1").execute(Tuple.of(jti))
                .map(rows -> rows.size() > 0);
    }

    /** Forgets revocations that no longer matter: tokens expired, secrets revoked long ago. */
    public Uni<Void> deleteExpired(Instant now, Instant revokedBefore) {
        return pool.preparedQuery("delete from tokens.revoked_tokens where expires_at < $1")
                .execute(Tuple.of(SigningKeyRepository.at(now)))
                .chain(() -> pool.preparedQuery("delete from tokens.revocations where revoked_at < $1")
                        .execute(Tuple.of(SigningKeyRepository.at(revokedBefore))))
                .replaceWithVoid();
    }
}
