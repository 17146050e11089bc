package io.keyhook.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.testing.SystemPackages;

/**
 * {@code k8s/monitoring}: the PrometheusRule's rules pass {@code promtool check rules} and the unit tests in
 * {@code tests/keyhook-alerts.test.yml} ({@code promtool test rules}: each alert fires when it should, not before), a
 * broken rule is caught, and every Keyhook metric the rules and the Grafana dashboard use is one the services document
 * in docs/operations.md.
 */
class AlertRulesTest {

    static final Path MONITORING = ManifestsTest.K8S.resolve("monitoring");
    static final Path WORK = Path.of("target/alert-rules").toAbsolutePath();
    static List<JsonNode> docs;

    @BeforeAll
    static void renderAndInstallPromtool() throws Exception {
        SystemPackages.ensure("promtool", "prometheus");
        docs = ManifestsTest.render(MONITORING);
        Files.createDirectories(WORK);
        JsonNode rule = docs.stream().filter(d -> "PrometheusRule".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
        // the PrometheusRule's spec is a Prometheus rule file
        ManifestsTest.YAML.writeValue(WORK.resolve("keyhook.rules.yml").toFile(),
                Map.of("groups", rule.path("spec").path("groups")));
        Files.copy(MONITORING.resolve("tests/keyhook-alerts.test.yml"), WORK.resolve("keyhook-alerts.test.yml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theRulesAreValidAndEveryAlertFiresWhenItShould() throws Exception {
        String check = promtool("check", "rules", "keyhook.rules.yml");
        assertTrue(check.contains("SUCCESS: 12 rules found"), check);
        String test = promtool("test", "rules", "keyhook-alerts.test.yml");
        assertTrue(test.contains("SUCCESS") && !test.contains("FAILED"), test);
    }

    @Test
    void aBrokenRuleOrAWrongExpectationIsCaught() throws Exception {
        Files.writeString(WORK.resolve("broken.rules.yml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: sum by (namespace (keyhook_outbox_pending)
                """);
        assertNotEquals(0, exit("check", "rules", "broken.rules.yml"), "promtool accepts a malformed expression");
        String wrong = Files.readString(WORK.resolve("keyhook-alerts.test.yml")).replace("pod: credentials-service-a}",
                "pod: webhook-config-service-a}");
        Files.writeString(WORK.resolve("wrong.test.yml"), wrong);
        assertNotEquals(0, exit("test", "rules", "wrong.test.yml"),
                "the unit tests pass although they expect the outbox alert for the wrong pod");
    }

    @Test
    void everyKeyhookMetricTheyUseIsDocumented() throws IOException {
        String operations = Files.readString(ManifestsTest.K8S.resolve("../../docs/operations.md").normalize());
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("keyhook_[a-z_]+")
                .matcher(Files.readString(WORK.resolve("keyhook.rules.yml")) + new ObjectMapper().writeValueAsString(
                        new ObjectMapper().readTree(MONITORING.resolve("keyhook-dashboard.json").toFile())));
        while (m.find()) {
            used.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
        }
        assertTrue(used.size() >= 10, used.toString());
        Set<String> undocumented = new TreeSet<>();
        for (String metric : used) {
            if (!operations.contains("`" + metric) && !operations.contains(metric + "`")) {
                undocumented.add(metric);
            }
        }
        assertEquals(Set.of(), undocumented, "metrics the alerts or the dashboard use, missing from operations.md");
        assertTrue(
                docs.stream()
                        .anyMatch(d -> "ConfigMap".equals(d.path("kind").asText())
                                && "1".equals(d.path("metadata").path("labels").path("grafana_dashboard").asText())),
                "the dashboard ConfigMap carries the Grafana sidecar's label");
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        Process p = start(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    private static int exit(String... args) throws IOException, InterruptedException {
        Process p = start(args);
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private static Process start(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
    }
}
