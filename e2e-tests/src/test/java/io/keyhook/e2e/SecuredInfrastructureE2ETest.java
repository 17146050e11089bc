package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.Postgres;
import io.keyhook.testing.TestCertificates;

/**
 * The secured run (the e2e module's second execution, {@code -Dkeyhook.kafka.secure=true -Dkeyhook.postgres.tls=true}):
 * the broker offers nothing but SASL_SSL and PostgreSQL nothing but TLS, the wrong password or CA is refused, and every
 * service connects that way. The classes tagged {@code secured-infra} run on top of it in the same JVM.
 */
// also in the secured pass: the connections it crosses are listed in e2e-tests/README.md
@Tag("secured-infra")
class SecuredInfrastructureE2ETest {

    @Test
    void theBrokerOffersOnlySaslSslAndEveryServiceUsesIt() throws Exception {
        Assumptions.assumeTrue(KafkaBroker.secureRequested(), "secured run only");
        Suite suite = Suite.get();
        KafkaBroker broker = KafkaBroker.shared();
        assertTrue(broker.secure());

        // PLAINTEXT to the only listener: no cluster answers
        Properties plain = new Properties();
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        plain.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        plain.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Admin.create(plain)) {
            admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
            fail("a PLAINTEXT client reached the secured broker");
        } catch (ExecutionException expected) {
            // timed out: the TLS listener does not speak PLAINTEXT
        }

        // the right protocol and CA, the wrong password: refused by SCRAM
        Properties wrong = broker.clientProperties();
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + KafkaBroker.CLIENT_USER + "\" password=\"not-the-password\";");
        wrong.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        wrong.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        try (Admin admin = Admin.create(wrong)) {
            admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
            fail("a wrong SCRAM password was accepted");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof SaslAuthenticationException, e.toString());
        }

        // the right settings: the cluster answers
        try (Admin admin = broker.admin()) {
            assertEquals(1, admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size());
        }

        // each service built its clients from keyhook.kafka.* (common KafkaClients says how at start); without
        // them no service would have become ready: its views read the topics through the one SASL_SSL listener
        String password = suite.env.get("KEYHOOK_KAFKA_SASL_JAAS_CONFIG").replaceAll(".*password=\"([^\"]+)\".*", "$1");
        for (ServiceProcess service : List.of(suite.credentials, suite.tokens, suite.webhooks, suite.dispatcher)) {
            String log = service.logText();
            assertTrue(
                    log.contains("Kafka clients: " + broker.bootstrapServers() + " over SASL_SSL (SASL SCRAM-SHA-512)"),
                    service + " connects over SASL_SSL");
            assertFalse(log.contains(password), service + " never logs the SCRAM password");
        }
    }

    @Test
    void postgresAcceptsOnlyVerifiedTls() throws Exception {
        Assumptions.assumeTrue(Postgres.tlsRequested(), "secured run only");
        Suite suite = Suite.get();
        Postgres.Server pg = Postgres.server();
        String base = "jdbc:postgresql://localhost:" + pg.port() + "/keyhook_e2e";

        // no TLS: pg_hba.conf rejects the connection before authentication
        SQLException plain = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(base + "?sslmode=disable", pg.user(), pg.password()).close());
        assertTrue(plain.getMessage().contains("no encryption"), plain.getMessage());

        // TLS, but a CA that did not sign the server's certificate: the client refuses the server
        Path otherCa = TestCertificates.in(Files.createTempDirectory("other-ca")).caFile();
        SQLException forged = assertThrows(SQLException.class, () -> DriverManager
                .getConnection(base + "?sslmode=verify-full&sslrootcert=" + otherCa, pg.user(), pg.password()).close());
        assertTrue(forged.getMessage().contains("SSL"), forged.getMessage());

        // the services' settings: verify-full against the test CA, for Flyway (JDBC) and the reactive client
        assertEquals("verify-full", suite.env.get("KEYHOOK_DB_SSL_MODE"));
        assertEquals(Postgres.caFile().toString(), suite.env.get("KEYHOOK_DB_CA_FILE"));
        assertTrue(suite.env.get("KEYHOOK_DB_JDBC_URL").contains("sslmode=verify-full"));
        try (var c = DriverManager.getConnection(suite.env.get("KEYHOOK_DB_JDBC_URL"), pg.user(), pg.password());
                var rs = c.createStatement()
                        .executeQuery("select count(*) from pg_stat_ssl s join pg_stat_activity a using (pid) "
                                + "where a.datname = 'keyhook_e2e' and not s.ssl")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "every connection to the suite's database is over TLS");
        }
        try (var c = DriverManager.getConnection(suite.env.get("KEYHOOK_DB_JDBC_URL"), pg.user(), pg.password());
                var rs = c.createStatement()
                        .executeQuery("select count(*) from pg_stat_ssl s join pg_stat_activity a using (pid) "
                                + "where a.datname = 'keyhook_e2e' and s.ssl and a.pid <> pg_backend_pid()")) {
            rs.next();
            assertTrue(rs.getInt(1) >= 1, "the services' pools are connected, over TLS");
        }
    }
}
