package io.keyhook.testing;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for tests: an external one when {@code KEYHOOK_PG_URL} is set
 * ({@code postgresql://user:password@host:port/database}), otherwise an embedded zonky server started once per JVM.
 * Each caller gets a database of its own, so services never see each other's schemas.
 */
public final class Postgres {

    private static EmbeddedPostgres embedded;
    private static int embeddedPort;
    private static java.nio.file.Path embeddedDataDir;

    private Postgres() {
    }

    /** The server as {@code host, port, user, password} for an admin database. */
    public record Server(String host, int port, String user, String password, String adminDatabase) {

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String reactiveUrl(String database) {
            return "postgresql://" + host + ":" + port + "/" + database;
        }

        public Connection connect(String database) throws SQLException {
            return DriverManager.getConnection(jdbcUrl(database), user, password);
        }
    }

    public static synchronized Server server() {
        String external = System.getenv("KEYHOOK_PG_URL");
        if (external != null && !external.isBlank()) {
            URI uri = URI.create(external);
            String[] userInfo = uri.getUserInfo() == null ? new String[] { "postgres", "" }
                    : uri.getUserInfo().split(":", 2);
            String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
            return new Server(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                    userInfo.length > 1 ? userInfo[1] : "", db);
        }
        if (embeddedDataDir == null) {
            try {
                embeddedDataDir = java.nio.file.Files.createTempDirectory("keyhook-pg");
                embeddedPort = freePort();
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare embedded PostgreSQL", e);
            }
            startEmbedded();
            Runtime.getRuntime().addShutdownHook(new Thread(Postgres::stopEmbedded));
        }
        return new Server("localhost", embeddedPort, "postgres", "postgres", "postgres");
    }

    /** Creates {@code database} if missing and returns Quarkus datasource properties for it. */
    public static Map<String, String> datasourceFor(String database) {
        Server s = server();
        try (Connection c = s.connect(s.adminDatabase()); Statement st = c.createStatement()) {
            var rs = st.executeQuery("select 1 from pg_database where datname = '" + database + "'");
            if (!rs.next()) {
                st.execute("create database \"" + database + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
        return Map.of("quarkus.datasource.jdbc.url", s.jdbcUrl(database), "quarkus.datasource.reactive.url",
                s.reactiveUrl(database), "quarkus.datasource.username", s.user(), "quarkus.datasource.password",
                s.password());
    }

    /**
     * Stops the embedded server (same port and data directory on {@link #start()}), which is how tests take "PostgreSQL
     * down". Does nothing for an external server.
     */
    public static synchronized void stop() {
        stopEmbedded();
    }

    /** Starts the embedded server again after {@link #stop()}; the data is kept. */
    public static synchronized void start() {
        if (embeddedDataDir != null && embedded == null) {
            startEmbedded();
        }
    }

    private static void startEmbedded() {
        try {
            embedded = EmbeddedPostgres.builder().setPort(embeddedPort).setDataDirectory(embeddedDataDir)
                    .setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static synchronized void stopEmbedded() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                // the JVM is exiting; nothing else to do
            }
            embedded = null;
        }
    }
}
