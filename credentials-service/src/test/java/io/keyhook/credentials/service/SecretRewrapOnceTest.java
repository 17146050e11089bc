package io.keyhook.credentials.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.Postgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The rewrap job runs in every replica (issue 17): after a key rotation, two runs at once move each stale secret once
 * between them (row locks: a batch one run holds is skipped by the other), never twice.
 */
@QuarkusTest
class SecretRewrapOnceTest {

    @Inject
    SecretRewrapJob job;

    @Inject
    SecretCipher cipher;

    @Test
    void twoReplicasRewrappingAtOnceMoveEachStaleSecretOnce() throws Throwable {
        // more than two batches of 100 (an Environment holds at most 200 clients)
        for (int e = 0; e < 3; e++) {
            String env = Fixtures.environment();
            for (int i = 0; i < 80; i++) {
                Fixtures.client(env);
            }
        }
        int version = VertxContextSupport.subscribeAndAwait(() -> cipher.rotate());
        long stale = stale(version);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> runs = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                runs.add(replicas.submit(() -> {
                    go.await();
                    try {
                        return VertxContextSupport.subscribeAndAwait(() -> job.rewrapAll());
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            go.countDown();
            int first = runs.get(0).get(2, TimeUnit.MINUTES);
            int second = runs.get(1).get(2, TimeUnit.MINUTES);
            assertEquals(stale, first + second,
                    "every stale secret moved once between the two runs (" + first + " + " + second + ")");
            assertEquals(0, stale(version), "no secret left on an old key version");
        } finally {
            replicas.shutdownNow();
        }
    }

    private long stale(int version) throws Exception {
        try (Connection c = Postgres.server().connect("credentials_test"); PreparedStatement st = c.prepareStatement(
                "select count(*) from credentials.client_secrets where ciphertext like ? and key_version < ?")) {
            st.setString(1, cipher.ciphertextPrefix() + "%");
            st.setInt(2, version);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
