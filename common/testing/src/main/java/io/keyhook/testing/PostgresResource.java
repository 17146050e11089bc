package io.keyhook.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a service's datasource at a real PostgreSQL (see {@link Postgres}). The database name comes from the init arg
 * {@code database} (default {@code keyhook}).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String database = "keyhook";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        return Postgres.datasourceFor(database);
    }

    @Override
    public void stop() {
        // the server is shared by every test class of this JVM and stops with it
    }
}
