package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code ./keyhook rotate} commands of docs/rotating-credentials.md, run as printed against the suite (the runner
 * reads the suite's addresses and the operator's credentials from its {@code .keyhook/env}, written here as
 * {@code ./keyhook up} writes it).
 */
class RunnerRotateE2ETest {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void rotateStatusAndFinishDoTheGuidedRotation() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        String env = setup.environment("runner", "Runner", "patients");
        Setup.Client client = setup.client(env, "rotated");
        String clientId = client.id();
        String oldSecret = client.secretId();
        String webhook = setup.webhook(env, "http://127.0.0.1:9/runner", "standard-webhooks", oldSecret);

        Path home = Files.createTempDirectory("keyhook-home");
        Files.createDirectories(home.resolve("pids"));
        Files.writeString(home.resolve("pids/webhook-dispatcher"), String.valueOf(suite.dispatcher.pid()));
        Files.writeString(home.resolve("env"),
                String.join("\n", "export KEYHOOK_TOKEN_URL=" + suite.tokens.url() + "/oauth2/token",
                        "export KEYHOOK_WEBHOOKS_URL=" + suite.webhooks.url(),
                        "export KEYHOOK_OPERATOR_CLIENT_ID=" + Suite.OPERATOR_ID,
                        "export KEYHOOK_OPERATOR_CLIENT_SECRET=" + Suite.OPERATOR_SECRET, ""));

        JsonNode started = json.readTree(keyhook(home, "rotate", env, clientId, oldSecret));
        assertEquals("overlapping", started.path("state").asText(), started.toString());
        assertTrue(started.path("newSecret").path("value").asText().startsWith("whsec_"), "shown once, here");
        String rotation = started.path("id").asText();
        String newSecret = started.path("newSecretId").asText();
        setup.admin().get(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks/" + webhook).then()
                .statusCode(200).body("security.secretIds", org.hamcrest.Matchers.contains(oldSecret, newSecret));

        JsonNode status = json.readTree(keyhook(home, "rotate", "status", env, rotation));
        assertEquals("overlapping", status.path("state").asText());
        assertTrue(json.readTree(keyhook(home, "rotate", "status", env)).toString().contains(rotation));

        JsonNode finished = json.readTree(keyhook(home, "rotate", "finish", env, rotation));
        assertTrue(List.of("finishing", "done").contains(finished.path("state").asText()), finished.toString());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "done"
                .equals(json.readTree(keyhook(home, "rotate", "status", env, rotation)).path("state").asText()));
        setup.admin().get(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks/" + webhook).then()
                .statusCode(200).body("security.secretIds", org.hamcrest.Matchers.contains(newSecret));
    }

    /** Runs {@code ./keyhook args...} with {@code home} as its state directory; returns its standard output. */
    private static String keyhook(Path home, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("./keyhook"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ServiceProcess.root().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("KEYHOOK_HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

}
