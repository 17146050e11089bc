package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * docs/examples/walkthrough.sh — the commands of authenticating.md, configuring-webhooks.md and rotating-credentials.md
 * — run against the suite exactly as a reader would run them after {@code . .keyhook/env}.
 */
class DocsCommandsE2ETest {

    @Test
    void theDocumentedCommandsAnswerAsDocumented() throws Exception {
        Suite suite = Suite.get();
        ProcessBuilder pb = new ProcessBuilder("bash", "docs/examples/walkthrough.sh")
                .directory(ServiceProcess.root().toFile()).redirectErrorStream(true);
        pb.environment().put("KEYHOOK_TOKEN_URL", suite.tokens.url() + "/oauth2/token");
        pb.environment().put("KEYHOOK_CREDENTIALS_URL", suite.credentials.url());
        pb.environment().put("KEYHOOK_WEBHOOKS_URL", suite.webhooks.url());
        pb.environment().put("KEYHOOK_DISPATCHER_URL", suite.dispatcher.url());
        pb.environment().put("KEYHOOK_OPERATOR_CLIENT_ID", Suite.OPERATOR_ID);
        pb.environment().put("KEYHOOK_OPERATOR_CLIENT_SECRET", Suite.OPERATOR_SECRET);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        System.out.println(out);
        assertEquals(0, p.exitValue(), out);
        assertEquals(14, out.lines().filter(l -> l.startsWith("OK: ")).count(), out);
    }
}
