package io.keyhook.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for tests: an external one when {@code KEYHOOK_PG_URL} is set
 * ({@code postgresql://user:password@host:port/database}), otherwise an embedded zonky server started once per JVM.
 * Each caller gets a database of its own, so services never see each other's schemas.
 * <p>
 * TLS only ({@code -Dkeyhook.postgres.tls=true} or {@code KEYHOOK_POSTGRES_TLS=true}): the embedded server runs with
 * {@code ssl=on}, a certificate from a CA made at start ({@link TestCertificates}), and a {@code pg_hba.conf} that
 * rejects every connection not over TLS. Services connect with {@code sslmode=verify-full} against that CA
 * ({@link #clientConfig(String)}, {@link #clientEnvironment(String)}).
 */
public final class Postgres {

    private static EmbeddedPostgres embedded;
    private static int embeddedPort;
    private static Path embeddedDataDir;
    private static TestCertificates certificates;

    /** Whether tests in this JVM run against the TLS-only server. */
    public static boolean tlsRequested() {
        return Boolean.getBoolean("keyhook.postgres.tls") || "true".equals(System.getenv("KEYHOOK_POSTGRES_TLS"));
    }

    /** The CA the TLS-only server's certificate comes from, or null when the server is plain. */
    public static synchronized Path caFile() {
        server();
        return certificates == null ? null : certificates.caFile();
    }

    private Postgres() {
    }

    /** The server as {@code host, port, user, password} for an admin database. */
    public record Server(String host, int port, String user, String password, String adminDatabase) {

        /** The JDBC URL; against the TLS-only server it verifies the server's certificate and host name. */
        public String jdbcUrl(String database) {
            String url = "jdbc:postgresql://" + host + ":" + port + "/" + database;
            Path ca = certificates == null ? null : certificates.caFile();
            return ca == null ? url : url + "?sslmode=verify-full&sslrootcert=" + ca;
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
                embeddedDataDir = Files.createTempDirectory("keyhook-pg");
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
        Map<String, String> config = new TreeMap<>(Map.of("quarkus.datasource.jdbc.url", s.jdbcUrl(database),
                "quarkus.datasource.reactive.url", s.reactiveUrl(database), "quarkus.datasource.username", s.user(),
                "quarkus.datasource.password", s.password()));
        if (certificates != null) {
            // what KEYHOOK_DB_SSL_MODE and KEYHOOK_DB_CA_FILE set in the services' application.properties
            config.put("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full");
            config.put("quarkus.datasource.reactive.trust-certificate-pem.certs", certificates.caFile().toString());
        }
        return config;
    }

    /** The environment variables that point a Keyhook service at {@code database} (and, for TLS, at the CA). */
    public static Map<String, String> clientEnvironment(String database) {
        Server s = server();
        datasourceFor(database);
        Map<String, String> env = new TreeMap<>(Map.of("KEYHOOK_DB_URL", s.reactiveUrl(database), "KEYHOOK_DB_JDBC_URL",
                s.jdbcUrl(database), "KEYHOOK_DB_USER", s.user(), "KEYHOOK_DB_PASSWORD", s.password()));
        if (certificates != null) {
            env.put("KEYHOOK_DB_SSL_MODE", "verify-full");
            env.put("KEYHOOK_DB_CA_FILE", certificates.caFile().toString());
        }
        return env;
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
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setPort(embeddedPort)
                    .setDataDirectory(embeddedDataDir).setCleanDataDirectory(false);
            if (tlsRequested()) {
                if (certificates == null) {
                    certificates = TestCertificates.in(Files.createTempDirectory("keyhook-pg-tls"));
                    certificates.issue("server");
                }
                Path hba = certificates.dir().resolve("pg_hba.conf");
                // TLS or nothing: a plain TCP connection is rejected before authentication
                Files.writeString(hba, """
                        local all all trust
                        hostssl all all 127.0.0.1/32 trust
                        hostssl all all ::1/128 trust
                        hostnossl all all all reject
                        """);
                b.setServerConfig("ssl", "on")
                        .setServerConfig("ssl_cert_file", certificates.dir().resolve("server.crt").toString())
                        .setServerConfig("ssl_key_file", certificates.dir().resolve("server.key").toString())
                        .setServerConfig("hba_file", hba.toString());
            }
            embedded = b.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
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
