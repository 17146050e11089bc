package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.SystemPackages;

/**
 * The console in a real browser: Debian's Chromium driven by playwright-core (console/browser-tests/console.test.mjs)
 * against the console and the real suite. Signs in, creates a client and copies its secret, creates a webhook to a
 * receiver that verifies every delivery, sees deliveries appear, is shown why the in-use secret cannot be invalidated,
 * runs the rotation wizard to the end while events stream, and signs out. Screenshots go to docs/images/. Installs
 * Chromium (apt-get) and playwright-core (npm ci) when missing.
 */
class ConsoleBrowserE2ETest {

    @Test
    void anAdminManagesCredentialsWebhooksDeliveriesAndARotationInTheBrowser() throws Exception {
        SystemPackages.ensure("chromium", "chromium");
        Path tests = ServiceProcess.root().resolve("console/browser-tests");
        if (!Files.isDirectory(tests.resolve("node_modules/playwright-core"))) {
            run(tests, List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
        }
        Suite suite = Suite.get();
        String consoleUrl = suite.console().url();
        Setup setup = Setup.of(suite);
        String env = setup.environment("console", "Sandbox clinic", "patients", "appointments");
        // the integration admin signs in with an admin client limited to this Environment
        Setup.Client adminClient = setup.adminClient("Sandbox clinic admin", List.of("integration-admin"),
                List.of(env));

        VerifyingReceiver receiver = new VerifyingReceiver();
        Properties p = KafkaBroker.shared().clientProperties();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            // the data service, driven by the script: POST /publish?n=5 publishes five patients.updated events
            StubHttpServer publisher = new StubHttpServer(ex -> {
                int n = Integer.parseInt(ex.getRequestURI().getQuery().replace("n=", ""));
                try {
                    for (int i = 0; i < n; i++) {
                        producer.send(new ProducerRecord<>("keyhook.data-changes", env,
                                BenchWorld.event(env, "console", "p-" + i))).get(10, TimeUnit.SECONDS);
                    }
                    StubHttpServer.respond(ex, 200, "{\"published\":" + n + "}");
                } catch (Exception e) {
                    StubHttpServer.respond(ex, 500, "{\"title\":\"" + e + "\"}");
                }
            });
            Path images = Files.createDirectories(ServiceProcess.root().resolve("docs/images"));
            String out = run(tests, List.of("node", "console.test.mjs"), Duration.ofMinutes(6),
                    Map.of("CONSOLE_URL", consoleUrl, "ADMIN_ID", adminClient.id(), "ADMIN_SECRET",
                            adminClient.secretValue(), "ENV", env, "RECEIVER_URL", receiver.url(), "PUBLISH_URL",
                            publisher.url(), "SCREENSHOTS", images.toString()));
            System.out.println(out);
            assertTrue(out.contains("ALL STEPS PASSED"), out);
        }
        assertEquals(0, receiver.failed.get(), "deliveries the receiver could not verify");
        assertTrue(receiver.verified.get() >= 15, "verified deliveries: " + receiver.verified.get());
        System.out.println("RESULT console browser test: " + receiver.verified.get() + " deliveries verified, "
                + receiver.failed.get() + " failed verifications");
    }

    private static String run(Path dir, List<String> command, Duration timeout) throws Exception {
        return run(dir, command, timeout, Map.of());
    }

    private static String run(Path dir, List<String> command, Duration timeout, Map<String, String> env)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process process = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                out.append(e);
            }
        });
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            reader.join(5000);
            throw new AssertionError(command + " did not finish in " + timeout + ":\n" + out);
        }
        reader.join(5000);
        assertEquals(0, process.exitValue(), command + " failed:\n" + out);
        return out.toString();
    }

}
