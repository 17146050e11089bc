package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.e2e.RunnerRotateE2ETest.Run;

/**
 * {@code ./keyhook up}, {@code status}, {@code demo}, {@code logs} and {@code down} as a user runs them: a whole suite
 * of its own (embedded PostgreSQL, a KRaft broker, the five service jars) on free ports chosen through the runner's
 * port settings, beside the e2e suite. Its own suite is independent of the e2e pass, so it runs once per build (in the
 * plain pass) and covers both of the runner's broker modes: it comes up SASL_SSL ({@code KEYHOOK_KAFKA_SECURE=true}),
 * runs the demo over it, and then switches the same home to PLAINTEXT in a shell still holding the secured settings.
 */
class RunnerUpE2ETest {

    static final List<String> SERVICES = List.of("console", "credentials-service", "token-service",
            "webhook-config-service", "webhook-dispatcher");

    @Test
    void upStartsEverythingOnTheChosenPortsAndDownStopsExactlyThat() throws Exception {
        Path home = Files.createTempDirectory("keyhook-up");
        Ports ports = Ports.free();
        Map<String, String> plain = ports.settings();
        // first the runner's SASL_SSL broker; the README's shell below switches to its PLAINTEXT one
        Map<String, String> env = new HashMap<>(plain);
        env.put("KEYHOOK_KAFKA_SECURE", "true");
        Run down;
        try {
            Run up = Run.with(home, env, Duration.ofMinutes(8), "up");
            assertEquals(0, up.exit(), up.toString());
            assertTrue(up.err().contains("Keyhook is up. Environment for your shell: . " + home + "/env"), up.err());

            // status: every component up or ready, each service at its port from KEYHOOK_PORT_BASE
            String status = Run.with(home, env, Duration.ofMinutes(1), "status").ok();
            Map<String, String[]> rows = status.lines().skip(1).map(l -> l.trim().split("\\s+"))
                    .collect(Collectors.toMap(r -> r[0], r -> r));
            assertEquals("up", rows.get("postgres")[1], status);
            assertEquals("localhost:" + ports.postgres + "/keyhook", rows.get("postgres")[3], status);
            assertEquals("up", rows.get("kafka")[1], status);
            assertEquals("localhost:" + ports.kafka, rows.get("kafka")[3], status);
            for (int i = 0; i < SERVICES.size(); i++) {
                String[] row = rows.get(SERVICES.get(i));
                assertEquals("ready", row[1], status);
                assertEquals("http://localhost:" + (ports.base + i), row[3], status);
            }

            // .keyhook/env: private, and its URLs and operator credentials get an admin token from the runner's suite
            Path envFile = home.resolve("env");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)));
            Map<String, String> written = exports(envFile);
            assertEquals("http://localhost:" + (ports.base + 2) + "/oauth2/token", written.get("KEYHOOK_TOKEN_URL"));
            assertEquals("http://localhost:" + ports.base, written.get("KEYHOOK_CONSOLE_URL"));
            assertEquals("SASL_SSL", written.get("KEYHOOK_KAFKA_SECURITY_PROTOCOL"));
            HttpResponse<String> token = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(written.get("KEYHOOK_TOKEN_URL")))
                            .header("Authorization",
                                    "Basic " + Base64.getEncoder()
                                            .encodeToString((written.get("KEYHOOK_OPERATOR_CLIENT_ID") + ":"
                                                    + written.get("KEYHOOK_OPERATOR_CLIENT_SECRET"))
                                                            .getBytes(StandardCharsets.UTF_8)))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode(), token.body());
            assertTrue(new ObjectMapper().readTree(token.body()).path("access_token").asText().startsWith("ey"));

            // a second up finds everything running and starts nothing twice
            Map<String, String> pids = pids(home);
            Run again = Run.with(home, env, Duration.ofMinutes(3), "up");
            assertEquals(0, again.exit(), again.toString());
            assertTrue(again.err().contains("token-service: already running"), again.err());
            assertEquals(pids, pids(home), "the same processes");

            // demo: the customer journey on this suite, every delivery verified, its events published over SASL_SSL
            // with
            // the client settings of .keyhook/env
            Run demo = Run.with(home, env, Duration.ofMinutes(4), "demo");
            if (demo.exit() != 0) {
                // the suite is gone with its temporary home once the test ends: keep what its services said
                assertEquals(0, demo.exit(),
                        demo + "\n--- token-service's log:\n"
                                + Run.with(home, env, Duration.ofMinutes(1), "logs", "token-service").out()
                                + "\n--- credentials-service's log:\n"
                                + Run.with(home, env, Duration.ofMinutes(1), "logs", "credentials-service").out());
            }
            assertTrue(demo.out().contains("3 of 3 expected deliveries arrived, 3 signatures verified"), demo.out());

            String log = Run.with(home, env, Duration.ofMinutes(1), "logs", "token-service").ok();
            assertFalse(log.isBlank(), "token-service's log");

            // the README's shell: . .keyhook/env, then down and up there. The file describes the suite under names
            // the runner does not read, so the second up starts the embedded PostgreSQL again
            Map<String, String> shell = new HashMap<>(env);
            shell.putAll(sourced(envFile));
            assertEquals("SASL_SSL", shell.get("KEYHOOK_KAFKA_SECURITY_PROTOCOL"),
                    "the shell holds the secured settings");
            Run downInShell = Run.with(home, shell, Duration.ofMinutes(3), "down");
            assertEquals(0, downInShell.exit(), downInShell.toString());
            // ... and comes up again on the PLAINTEXT broker (its Kafka data deleted, as switching modes needs) while
            // the shell still holds the secured suite's Kafka client settings, their CA deleted with it: those are the
            // runner's to set, not its services' to inherit
            shell.remove("KEYHOOK_KAFKA_SECURE");
            deleteTree(home.resolve("kafka"));
            Run upInShell = Run.with(home, shell, Duration.ofMinutes(8), "up");
            assertEquals(0, upInShell.exit(), upInShell.toString());
            assertTrue(
                    upInShell.err().contains("Kafka: starting a KRaft broker on port " + ports.kafka + " (plaintext)"),
                    upInShell.err());
            assertFalse(exports(envFile).containsKey("KEYHOOK_KAFKA_SECURITY_PROTOCOL"),
                    "the PLAINTEXT suite's env file sets no secured Kafka client: " + exports(envFile));
            assertTrue(upInShell.err().contains("PostgreSQL: starting embedded server on port " + ports.postgres),
                    upInShell.err());
            assertTrue(upInShell.out().lines().anyMatch(l -> l.matches("postgres +up .*")), upInShell.out());
            // the database the suite uses, under a name of its own; KEYHOOK_PG_URL stays the user's choice
            assertEquals("postgresql://postgres:postgres@localhost:" + ports.postgres + "/keyhook",
                    written.get("KEYHOOK_PG_URL_IN_USE"));
            assertFalse(written.containsKey("KEYHOOK_PG_URL"), "the env file sets no input of the runner: " + written);
        } finally {
            down = Run.with(home, plain, Duration.ofMinutes(3), "down");
        }
        assertEquals(0, down.exit(), down.toString());
        assertTrue(down.err().contains("Keyhook is down"), down.err());
        String after = Run.with(home, env, Duration.ofMinutes(1), "status").ok();
        assertEquals(7, after.lines().filter(l -> l.contains(" down ")).count(), after);
        for (int port : ports.all()) {
            assertTrue(free(port), "port " + port + " is free again");
        }
        deleteTree(home);
    }

    @Test
    void upRefusesPortsAnotherProgramHoldsAndStartsNothing() throws Exception {
        Path home = Files.createTempDirectory("keyhook-up");
        Ports ports = Ports.free();
        try (ServerSocket squatter = new ServerSocket(ports.base + 2, 50, InetAddress.getLoopbackAddress())) {
            assertTrue(squatter.isBound());
            Run up = Run.with(home, ports.settings(), Duration.ofMinutes(3), "up");
            assertEquals(1, up.exit(), up.toString());
            assertTrue(up.err().contains(
                    "another program already listens on " + (ports.base + 2) + " (token-service: KEYHOOK_PORT_BASE)"),
                    up.err());
            try (var started = Files.list(home.resolve("pids"))) {
                assertEquals(List.of(), started.toList(), "nothing was started");
            }
        } finally {
            // whatever a wrong up started must not outlive the test
            Run.with(home, ports.settings(), Duration.ofMinutes(3), "down");
        }
        Run wrong = Run.with(home, Map.of("KEYHOOK_PORT_BASE", "http"), Duration.ofMinutes(1), "up");
        assertEquals(2, wrong.exit(), wrong.toString());
        assertTrue(wrong.err().contains("KEYHOOK_PORT_BASE must be a port number"), wrong.err());
        deleteTree(home);
    }

    @Test
    void statusTellsTheUsersPostgresFromTheEmbeddedServersOwnAddress() throws Exception {
        Path home = Files.createTempDirectory("keyhook-status");
        Ports ports = Ports.free();
        // a user's existing server: used as it is, its password never printed
        Map<String, String> external = ports.settings();
        external.put("KEYHOOK_PG_URL", "postgresql://keyhook:pg-s3cret@db.example:5432/keyhook");
        String status = Run.with(home, external, Duration.ofMinutes(1), "status").ok();
        String row = status.lines().filter(l -> l.startsWith("postgres ")).findFirst().orElseThrow();
        assertTrue(row.matches("postgres +external +- +postgresql://keyhook:\\*\\*\\*@db\\.example:5432/keyhook"),
                status);
        assertFalse(status.contains("pg-s3cret"), status);

        // what an older .keyhook/env exported as KEYHOOK_PG_URL: the embedded server's own address, so the embedded one
        Map<String, String> legacy = ports.settings();
        legacy.put("KEYHOOK_PG_URL", "postgresql://postgres:postgres@localhost:" + ports.postgres + "/keyhook");
        status = Run.with(home, legacy, Duration.ofMinutes(1), "status").ok();
        row = status.lines().filter(l -> l.startsWith("postgres ")).findFirst().orElseThrow();
        assertTrue(row.matches("postgres +down +- +localhost:" + ports.postgres + "/keyhook"), status);
        deleteTree(home);
    }

    static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The variables {@code ./keyhook up} exports in its env file. */
    static Map<String, String> exports(Path envFile) throws IOException {
        Map<String, String> vars = new HashMap<>();
        for (String line : Files.readAllLines(envFile)) {
            if (line.startsWith("export ") && line.contains("=")) {
                String assignment = line.substring("export ".length());
                vars.put(assignment.substring(0, assignment.indexOf('=')),
                        assignment.substring(assignment.indexOf('=') + 1));
            }
        }
        return vars;
    }

    /** The {@code KEYHOOK_*} variables of a bash that sourced {@code envFile}, as the README says to. */
    static Map<String, String> sourced(Path envFile) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". \"$0\" && env -0", envFile.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "sourcing " + envFile);
        Map<String, String> vars = new HashMap<>();
        for (String entry : out.split("\0")) {
            int eq = entry.indexOf('=');
            if (entry.startsWith("KEYHOOK_") && eq > 0) {
                vars.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return vars;
    }

    static Map<String, String> pids(Path home) throws IOException {
        Map<String, String> pids = new HashMap<>();
        try (var files = Files.list(home.resolve("pids"))) {
            for (Path f : files.toList()) {
                pids.put(f.getFileName().toString(), Files.readString(f).trim());
            }
        }
        assertEquals(7, pids.size(), "postgres, kafka and five services: " + pids);
        return pids;
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** Five consecutive free ports from {@code base}, and three more for PostgreSQL and Kafka. */
    record Ports(int base, int postgres, int kafka, int controller) {

        static Ports free() {
            for (int attempt = 0; attempt < 200; attempt++) {
                int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
                int pg = base + 10;
                int[] wanted = { base, base + 1, base + 2, base + 3, base + 4, pg, pg + 1, pg + 2 };
                if (java.util.Arrays.stream(wanted).allMatch(RunnerUpE2ETest::free)) {
                    return new Ports(base, pg, pg + 1, pg + 2);
                }
            }
            throw new IllegalStateException("no free ports between 20000 and 30000");
        }

        Map<String, String> settings() {
            Map<String, String> env = new HashMap<>();
            env.put("KEYHOOK_PORT_BASE", String.valueOf(base));
            env.put("KEYHOOK_PG_PORT", String.valueOf(postgres));
            env.put("KEYHOOK_KAFKA_PORT", String.valueOf(kafka));
            env.put("KEYHOOK_KAFKA_CONTROLLER_PORT", String.valueOf(controller));
            // every JVM the runner starts favours start-up time (C1 only), as the e2e suite's own services do: this
            // test starts a whole suite twice; the runner's JVM flags themselves are unchanged
            env.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
            return env;
        }

        List<Integer> all() {
            return List.of(base, base + 1, base + 2, base + 3, base + 4, postgres, kafka, controller);
        }
    }
}
