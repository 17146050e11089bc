package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.SystemPackages;

/**
 * The kcat commands of docs/publishing-events.md, taken from the page and run as a reader would (after
 * {@code . .keyhook/env}): the event they publish is delivered, and the dead-letter listing shows a malformed record
 * with its reason.
 */
class KcatDocsE2ETest {

    static final String ENV = "sandbox-test"; // the page's Environment

    @Test
    void thePublishingPagesKcatCommandsPublishAnEventThatIsDeliveredAndListTheDeadLetters() throws Exception {
        // the page's commands are for the local PLAINTEXT broker; the secured run covers publishing through Java
        Assumptions.assumeFalse(KafkaBroker.secureRequested(), "kcat page: PLAINTEXT broker only");
        SystemPackages.ensure("kcat", "kcat");
        Suite suite = Suite.get();
        List<String> bodies = new CopyOnWriteArrayList<>();
        StubHttpServer receiver = new StubHttpServer(ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            StubHttpServer.respond(ex, 204, "");
        });
        Setup setup = Setup.of(suite);
        setup.environmentNamed(ENV, "Sandbox", "patients");
        setup.webhook(ENV, receiver.url() + "/hooks", "standard-webhooks", setup.client(ENV, "kcat").secretId());

        // until the dispatcher's views know the webhook, an event would find nobody: probe first
        Properties p = KafkaBroker.shared().clientProperties();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                producer.send(new ProducerRecord<>("keyhook.data-changes", ENV, BenchWorld.event(ENV, "probe", "p-1")))
                        .get(10, TimeUnit.SECONDS);
                return !bodies.isEmpty();
            });
            // a malformed record of this Environment, for the page's dead-letter listing to show
            long deadLetters = deadLetterLines(suite);
            producer.send(new ProducerRecord<>("keyhook.data-changes", ENV, "{not json")).get(10, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterLines(suite) > deadLetters);
        }

        // the page's block, run in a directory whose .keyhook/env points at the suite's broker
        Path dir = Files.createTempDirectory("kcat-docs");
        Files.createDirectories(dir.resolve(".keyhook"));
        Files.writeString(dir.resolve(".keyhook/env"),
                "export KEYHOOK_KAFKA_BOOTSTRAP=" + KafkaBroker.shared().bootstrapServers() + "\n");
        Files.writeString(dir.resolve("kcat.sh"), "set -euo pipefail\n" + kcatBlock());
        Process run = new ProcessBuilder("bash", "kcat.sh").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, run.exitValue(), out);

        // the page's event (resource p-42) arrives, as the thin body receivers get
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> bodies.stream()
                .anyMatch(b -> b.contains("\"resourceId\":\"p-42\"") && b.contains("/v2/patients/p-42")));
        assertTrue(out.lines().anyMatch(l -> l.contains("keyhook-dlq-reason=not_json") && l.contains("key=" + ENV)),
                "the dead-letter listing shows the malformed record and its reason:\n" + out);
    }

    private static long deadLetterLines(Suite suite) {
        return suite.dispatcher.logText().lines().filter(l -> l.contains("Dead-lettered")).count();
    }

    /** The sh block under "## kcat" in docs/publishing-events.md, as printed. */
    static String kcatBlock() throws java.io.IOException {
        String page = Files.readString(ServiceProcess.root().resolve("docs/publishing-events.md"));
        Matcher m = Pattern.compile("## kcat\\s+```sh\\n(.*?)```", Pattern.DOTALL).matcher(page);
        assertTrue(m.find(), "docs/publishing-events.md has no sh block under '## kcat'");
        return m.group(1);
    }

}
