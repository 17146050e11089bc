package io.keyhook.token.persistence;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code tokens.used_assertions}: the RFC 7523 replay guard, shared by every replica. */
@ApplicationScoped
public class UsedAssertionRepository {

    @Inject
    Pool pool;

    /** Records the assertion's jti; false when the client used it before. */
    public Uni<Boolean> firstUse(String clientId, String jti, Instant expiresAt) {
        return pool
                .preparedQuery("insert into tokens.used_assertions (client_id, jti, expires_at)"
                        + " values ($1, $2, $3) on conflict do nothing")
                .execute(Tuple.of(clientId, jti, SigningKeyRepository.at(expiresAt))).map(r -> r.rowCount() == 1);
    }

    public Uni<Integer> deleteExpired(Instant now) {
        return pool.preparedQuery("delete from tokens.used_assertions where expires_at < $1")
                .execute(Tuple.of(SigningKeyRepository.at(now))).map(r -> r.rowCount());
    }
}
