package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        // a receiver that answers: the finish is verified with a ping signed with the new secret alone
        io.keyhook.testing.StubHttpServer receiver = new io.keyhook.testing.StubHttpServer(ex -> {
            ex.getRequestBody().readAllBytes();
            io.keyhook.testing.StubHttpServer.respond(ex, 204, "");
        });
        String webhook = setup.webhook(env, receiver.url() + "/runner", "standard-webhooks", oldSecret);
        Path home = home(suite);

        Run start = Run.of(home, "rotate", env, clientId, oldSecret);
        JsonNode started = json.readTree(start.ok());
        assertEquals("overlapping", started.path("state").asText(), started.toString());
        assertTrue(started.path("newSecret").path("value").asText().startsWith("whsec_"), "shown once, here");
        String rotation = started.path("id").asText();
        String newSecret = started.path("newSecretId").asText();
        assertTrue(start.err().contains("Finish when both use it: ./keyhook rotate finish " + env + " " + rotation),
                "the real ids, not placeholders: " + start.err());
        setup.admin().get(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks/" + webhook).then()
                .statusCode(200).body("security.secretIds", org.hamcrest.Matchers.contains(oldSecret, newSecret));

        JsonNode status = json.readTree(Run.of(home, "rotate", "status", env, rotation).ok());
        assertEquals("overlapping", status.path("state").asText());
        assertTrue(json.readTree(Run.of(home, "rotate", "status", env).ok()).toString().contains(rotation));

        JsonNode finished = json.readTree(Run.of(home, "rotate", "finish", env, rotation).ok());
        assertTrue(List.of("finishing", "done").contains(finished.path("state").asText()), finished.toString());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "done"
                .equals(json.readTree(Run.of(home, "rotate", "status", env, rotation).ok()).path("state").asText()));
        setup.admin().get(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks/" + webhook).then()
                .statusCode(200).body("security.secretIds", org.hamcrest.Matchers.contains(newSecret));
    }

    @Test
    void aRefusedRotationExitsNonZeroWithTheProblemAndNoGuidance() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        String env = setup.environment("runnerno", "Runner refusals", "patients");
        Setup.Client client = setup.client(env, "not-rotated");
        Path home = home(suite);

        // not a secret of this client: the API refuses (before, the runner printed the problem, then guidance, and
        // exited 0)
        Run refused = Run.of(home, "rotate", env, client.id(), "sec_doesnotexist");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.out().isBlank(), refused.toString());
        assertTrue(refused.err().contains("answered 422") && refused.err().contains("secret_not_rotatable"),
                refused.toString());
        assertFalse(refused.err().contains("The new secret's value"), "no guidance after a refusal: " + refused);

        Run unknown = Run.of(home, "rotate", "status", env, "rot_doesnotexist");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("answered 404"), unknown.toString());
        assertTrue(unknown.out().isBlank(), unknown.toString());

        Run finish = Run.of(home, "rotate", "finish", env, "rot_doesnotexist");
        assertEquals(1, finish.exit(), finish.toString());

        Run value = Run.of(home, "rotate", env, client.id(), client.secretValue());
        assertEquals(2, value.exit(), value.toString());
        assertTrue(value.err().contains("that is a secret's value (whsec_"), value.toString());
        assertTrue(value.err().contains("/api/v1/environments/" + env + "/clients/" + client.id() + "/secrets"),
                value.toString());

        Run duration = Run.of(home, "rotate", env, client.id(), client.secretId(), "1h");
        assertEquals(2, duration.exit(), duration.toString());
        assertTrue(duration.err().contains("ISO-8601 duration"), duration.toString());
    }

    /**
     * {@code rotate finish --override "reason"}: a rotation the receiver does not verify (it answers the ping 500) is
     * refused (409 rotation_not_verified), a blank reason is refused by the runner without a call (exit 2), and a
     * reason finishes it, recorded on the rotation as sent (quotes, backslashes and all).
     */
    @Test
    void rotateFinishWithOverrideFinishesAnUnverifiedRotationAndRecordsTheReason() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        String env = setup.environment("runnerov", "Runner override", "patients");
        Setup.Client client = setup.client(env, "overridden");
        io.keyhook.testing.StubHttpServer receiver = new io.keyhook.testing.StubHttpServer(ex -> {
            ex.getRequestBody().readAllBytes();
            // keeps failing the verification ping: the receiver never learnt the new secret
            io.keyhook.testing.StubHttpServer.respond(ex, 500, "");
        });
        String webhook = setup.webhook(env, receiver.url() + "/runner", "standard-webhooks", client.secretId());
        Path home = home(suite);
        JsonNode started = json.readTree(Run.of(home, "rotate", env, client.id(), client.secretId()).ok());
        String rotation = started.path("id").asText();
        String newSecret = started.path("newSecretId").asText();

        Run refused = Run.of(home, "rotate", "finish", env, rotation);
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("answered 409") && refused.err().contains("rotation_not_verified"),
                refused.toString());

        for (String blank : List.of("", "   ")) {
            Run noReason = Run.of(home, "rotate", "finish", env, rotation, "--override", blank);
            assertEquals(2, noReason.exit(), noReason.toString());
            assertTrue(noReason.err().contains("--override needs a reason"), noReason.toString());
        }
        Run missing = Run.of(home, "rotate", "finish", env, rotation, "--override");
        assertEquals(2, missing.exit(), missing.toString());
        JsonNode still = json.readTree(Run.of(home, "rotate", "status", env, rotation).ok());
        assertEquals("overlapping", still.path("state").asText(), "nothing was called: " + still);
        assertTrue(still.path("checks").path("override").isMissingNode(), still.toString());

        String reason = "receiver \"billing\" updated by hand \\ ticket OPS-42";
        JsonNode finished = json.readTree(Run.of(home, "rotate", "finish", env, rotation, "--override", reason).ok());
        assertTrue(List.of("finishing", "done").contains(finished.path("state").asText()), finished.toString());
        assertEquals(reason, finished.path("checks").path("override").path("reason").asText(), finished.toString());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "done"
                .equals(json.readTree(Run.of(home, "rotate", "status", env, rotation).ok()).path("state").asText()));
        setup.admin().get(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks/" + webhook).then()
                .statusCode(200).body("security.secretIds", org.hamcrest.Matchers.contains(newSecret));
        setup.admin().get(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhook-audit").then()
                .statusCode(200).body("items.action", org.hamcrest.Matchers.hasItem("rotation.override"))
                .body("items.detail", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString(reason)));
    }

    @Test
    void rotateKeyStartsShowsAndFinishesAGuidedKeyRotation() throws Exception {
        Suite suite = Suite.get();
        Setup setup = Setup.of(suite);
        String env = setup.environment("runnerkey", "Runner keys", "patients");
        String clients = suite.credentials.url() + "/api/v1/environments/" + env + "/clients";
        var oldKey = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("app-old")
                .generate();
        var newKey = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("app-new")
                .generate();
        String clientId = setup.admin()
                .body(java.util.Map.of("name", "runner keys", "authMethod", "private_key_jwt", "jwks",
                        java.util.Map.of("keys", List.of(oldKey.toPublicJWK().toJSONObject()))))
                .post(clients).then().statusCode(201).extract().path("clientId");
        Path home = home(suite);
        Path jwk = Files.createTempFile(home, "new", ".jwk.json");
        Files.writeString(jwk, newKey.toPublicJWK().toJSONString(), StandardCharsets.UTF_8);

        Run start = Run.of(home, "rotate-key", env, clientId, "app-old", jwk.toString());
        JsonNode started = json.readTree(start.ok());
        assertEquals("open", started.path("status").asText(), started.toString());
        assertEquals("app-new", started.path("newKid").asText());
        String rotation = started.path("id").asText();
        assertTrue(start.err().contains("./keyhook rotate-key finish " + env + " " + clientId + " " + rotation),
                "the real ids, not placeholders: " + start.err());
        setup.admin().get(clients + "/" + clientId).then().statusCode(200).body("keys.kid",
                org.hamcrest.Matchers.contains("app-old", "app-new"));

        JsonNode status = json.readTree(Run.of(home, "rotate-key", "status", env, clientId, rotation).ok());
        assertEquals("new_key_used", status.path("checks").path(0).path("name").asText(), status.toString());
        assertTrue(json.readTree(Run.of(home, "rotate-key", "status", env, clientId).ok()).path("items").toString()
                .contains(rotation));

        // the new key was never used: not verified, exit 1 with the problem
        Run early = Run.of(home, "rotate-key", "finish", env, clientId, rotation);
        assertEquals(1, early.exit(), early.toString());
        assertTrue(early.err().contains("answered 409") && early.err().contains("rotation_not_verified"),
                early.toString());
        Run blank = Run.of(home, "rotate-key", "finish", env, clientId, rotation, "--override", " ");
        assertEquals(2, blank.exit(), blank.toString());

        JsonNode finished = json.readTree(Run.of(home, "rotate-key", "finish", env, clientId, rotation, "--override",
                "app confirmed \"moved\" by phone").ok());
        assertEquals("finished", finished.path("status").asText(), finished.toString());
        assertEquals("app confirmed \"moved\" by phone", finished.path("override").path("reason").asText());
        setup.admin().get(clients + "/" + clientId).then().statusCode(200).body("keys.kid",
                org.hamcrest.Matchers.contains("app-new"));

        Run badKid = Run.of(home, "rotate-key", env, clientId, "bad kid", jwk.toString());
        assertEquals(2, badKid.exit(), badKid.toString());
        Run noFile = Run.of(home, "rotate-key", env, clientId, "app-new", home.resolve("missing.json").toString());
        assertEquals(2, noFile.exit(), noFile.toString());
        assertTrue(Run.of(home, "help").ok().contains("./keyhook rotate-key finish <env> <clientId> <rotationId>"));
    }

    /** A state directory as {@code ./keyhook up} writes it, pointing at the suite, with the operator's credentials. */
    static Path home(Suite suite) throws Exception {
        Path home = Files.createTempDirectory("keyhook-home");
        Files.createDirectories(home.resolve("pids"));
        Files.writeString(home.resolve("pids/webhook-dispatcher"), String.valueOf(suite.dispatcher.pid()));
        Files.writeString(home.resolve("env"),
                String.join("\n", "export KEYHOOK_CREDENTIALS_URL=" + suite.credentials.url(),
                        "export KEYHOOK_TOKEN_URL=" + suite.tokens.url() + "/oauth2/token",
                        "export KEYHOOK_WEBHOOKS_URL=" + suite.webhooks.url(),
                        "export KEYHOOK_OPERATOR_CLIENT_ID=" + Suite.OPERATOR_ID,
                        "export KEYHOOK_OPERATOR_CLIENT_SECRET=" + Suite.OPERATOR_SECRET, ""));
        return home;
    }

    /** One run of {@code ./keyhook args...} with {@code home} as its state directory. */
    record Run(int exit, String out, String err) {

        static Run of(Path home, String... args) throws Exception {
            return with(home, java.util.Map.of(), Duration.ofSeconds(60), args);
        }

        /** With further environment variables (the runner's settings), waiting at most {@code limit}. */
        static Run with(Path home, java.util.Map<String, String> env, Duration limit, String... args) throws Exception {
            List<String> command = new java.util.ArrayList<>(List.of("./keyhook"));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(ServiceProcess.root().toFile());
            pb.environment().put("KEYHOOK_HOME", home.toString());
            pb.environment().putAll(env);
            Process p = pb.start();
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " still running after " + limit);
            }
            // a process the command left running must not hold its output open (up starts them with their own logs)
            return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        }

        /** Standard output, after checking the run succeeded. */
        String ok() {
            assertEquals(0, exit, toString());
            return out;
        }

        private static String read(java.io.InputStream in) {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
