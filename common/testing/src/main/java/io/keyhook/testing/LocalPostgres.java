package io.keyhook.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The local runner's PostgreSQL: a real server from the zonky binaries, on a fixed port and a data directory that
 * survives restarts. Usage: {@code LocalPostgres <port> <data-dir> <database>}. Prints {@code READY} once the database
 * exists; stops the server on SIGTERM.
 */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        String database = args[2];
        Files.createDirectories(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir)
                .setCleanDataDirectory(false).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e);
            }
        }));
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                if (!rs.next()) {
                    st.execute("create database \"" + database + "\"");
                }
            }
        }
        System.out.println("READY postgresql://localhost:" + port + "/" + database);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
