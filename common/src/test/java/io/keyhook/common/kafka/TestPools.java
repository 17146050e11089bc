package io.keyhook.common.kafka;

import io.keyhook.testing.Postgres;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** Reactive pools on the tests' shared PostgreSQL, for the outbox classes that run on one without Quarkus. */
final class TestPools {

    private TestPools() {
    }

    /** Four connections to {@code database}, created if missing. */
    static Pool of(Vertx vertx, String database) {
        Postgres.datasourceFor(database);
        var s = Postgres.server();
        var connect = PgConnectOptions.fromUri(s.reactiveUrl(database)).setUser(s.user()).setPassword(s.password());
        return Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(connect)
                .using(vertx.getDelegate()).build());
    }
}
