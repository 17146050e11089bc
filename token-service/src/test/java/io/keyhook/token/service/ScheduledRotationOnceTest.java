package io.keyhook.token.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.token.config.TokenConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every token-service replica checks the signing keys on its own schedule (issue 17): when the key falls due, four
 * checks at once create one new key between them, not one each (they decide under one advisory lock). Without the lock
 * the four checks made four keys.
 */
@QuarkusTest
class ScheduledRotationOnceTest {

    private static final int REPLICAS = 4;

    @Inject
    SigningKeys keys;

    @Inject
    TokenConfig config;

    @Inject
    Pool pool;

    @Test
    void checksOfFourReplicasAtOnceCreateOneKeyWhenTheSignerFallsDue() throws Exception {
        keys.refresh(null).await().atMost(Duration.ofSeconds(30));
        Instant before = Instant.now();
        // the signing key has been signing for longer than the rotation interval: the next check replaces it
        Duration aged = config.signing().rotationInterval().plusDays(1);
        pool.preparedQuery("update tokens.signing_keys set activate_at = activate_at - make_interval(secs => $1),"
                + " created_at = created_at - make_interval(secs => $1) where retire_at is null")
                .execute(Tuple.of((double) aged.toSeconds())).await().atMost(Duration.ofSeconds(10));
        // a transaction that blocks inserts into the key table: every check reads the aged key and decides while
        // it is held, so the checks overlap for certain instead of the first one committing before the next starts
        SqlConnection holder = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        Transaction blocking = holder.begin().await().atMost(Duration.ofSeconds(10));
        holder.query("lock table tokens.signing_keys in share mode").execute().await().atMost(Duration.ofSeconds(10));
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (int replica = 0; replica < REPLICAS; replica++) {
            checks.add(keys.refresh(null).subscribeAsCompletionStage());
        }
        Thread.sleep(2_000);
        blocking.commit().await().atMost(Duration.ofSeconds(10));
        holder.close().await().atMost(Duration.ofSeconds(10));
        for (CompletableFuture<Void> check : checks) {
            check.get(60, TimeUnit.SECONDS);
        }
        // one key per algorithm in use (the configured one; others when an Environment chose one: issue 30)
        var created = pool
                .preparedQuery("select algorithm, count(*) from tokens.signing_keys where created_at >= $1"
                        + " group by algorithm")
                .execute(Tuple.of(before.atOffset(java.time.ZoneOffset.UTC))).await().atMost(Duration.ofSeconds(10));
        assertTrue(created.size() >= 1, "a new key of the configured algorithm");
        created.forEach(row -> assertEquals(1, row.getLong(1), "one new " + row.getString(0) + " key for four checks"));
    }
}
