package io.keyhook.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Every overlay under {@code k8s/overlays} renders offline with {@code kubectl kustomize} and passes
 * {@link ManifestRules}; and a deliberately broken overlay is caught.
 */
class ManifestsTest {

    static final Path K8S = Path.of("k8s").toAbsolutePath();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyOverlayRendersAndPassesTheRules(String overlay) throws Exception {
        List<JsonNode> docs = render(K8S.resolve("overlays").resolve(overlay));
        assertEquals(List.of(), ManifestRules.check(docs, "prod".equals(overlay)));
        Map<String, Long> kinds = docs.stream()
                .collect(Collectors.groupingBy(d -> d.path("kind").asText(), Collectors.counting()));
        assertEquals(5L, kinds.get("Deployment"));
        assertEquals(5L, kinds.get("Service"));
        assertEquals(5L, kinds.get("PodDisruptionBudget"));
        assertEquals(2L, kinds.get("HorizontalPodAutoscaler"));
        assertEquals(6L, kinds.get("KafkaTopic"));
        assertEquals(4L, kinds.get("KafkaUser"));
        assertTrue(kinds.get("NetworkPolicy") >= 5);
        assertTrue(
                docs.stream().filter(d -> !"Namespace".equals(d.path("kind").asText()))
                        .allMatch(d -> d.path("metadata").path("namespace").asText().startsWith("keyhook")),
                "every object lands in the overlay's namespace");
    }

    @Test
    void aBrokenManifestIsCaught() throws Exception {
        // an overlay on the real base that drops a readiness probe, points an HPA at nothing, adds a Secret with a
        // value and lets the dispatcher scale past the topic's partitions
        Path broken = Files.createDirectories(Path.of("target/broken-overlay").toAbsolutePath());
        String base = broken.relativize(K8S.resolve("base")).toString();
        Files.writeString(broken.resolve("secret.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: leaked
                stringData:
                  password: hunter2
                """);
        Files.writeString(broken.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: keyhook-broken
                resources:
                  - %s
                  - secret.yaml
                patches:
                  - target: {kind: Deployment, name: token-service}
                    patch: |-
                      - op: remove
                        path: /spec/template/spec/containers/0/readinessProbe
                  - target: {kind: HorizontalPodAutoscaler, name: token-service}
                    patch: |-
                      - op: replace
                        path: /spec/scaleTargetRef/name
                        value: token-servce
                  - target: {kind: HorizontalPodAutoscaler, name: webhook-dispatcher}
                    patch: |-
                      - op: replace
                        path: /spec/maxReplicas
                        value: 50
                  - target: {kind: ConfigMap, name: token-service}
                    patch: |-
                      - op: replace
                        path: /data/KEYHOOK_TRUSTED_PROXIES
                        value: "0.0.0.0/0"
                  - target: {kind: ConfigMap, name: console}
                    patch: |-
                      - op: remove
                        path: /data/KEYHOOK_CONSOLE_TRUSTED_PROXIES
                """.formatted(base));
        List<String> problems = ManifestRules.check(render(broken));
        System.out.println("Problems found in the broken overlay:\n  " + String.join("\n  ", problems));
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.contains("Deployment/token-service") && p.contains("readiness probe")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("no Deployment token-servce")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Secret/leaked")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("more dispatchers (50)")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("KEYHOOK_TRUSTED_PROXIES trusts every peer")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("ConfigMap/console: no KEYHOOK_CONSOLE_TRUSTED_PROXIES")),
                problems.toString());
    }

    @Test
    void aPlaintextOrOverPrivilegedProductionIsCaught() throws Exception {
        // the prod overlay with the dispatcher back on PLAINTEXT, token-service's database without verify-full, a
        // password written into a JAAS line, and webhook-config-service allowed to write the credentials topic
        Path broken = Files.createDirectories(Path.of("target/broken-prod").toAbsolutePath());
        String prod = broken.relativize(K8S.resolve("overlays/prod")).toString();
        Files.writeString(broken.resolve("kustomization.yaml"),
                """
                        apiVersion: kustomize.config.k8s.io/v1beta1
                        kind: Kustomization
                        resources:
                          - %s
                        patches:
                          - target: {kind: ConfigMap, name: webhook-dispatcher}
                            patch: |-
                              - op: replace
                                path: /data/KEYHOOK_KAFKA_SECURITY_PROTOCOL
                                value: PLAINTEXT
                          - target: {kind: ConfigMap, name: token-service}
                            patch: |-
                              - op: replace
                                path: /data/KEYHOOK_DB_SSL_MODE
                                value: require
                          - target: {kind: ConfigMap, name: credentials-service}
                            patch: |-
                              - op: replace
                                path: /data/KEYHOOK_KAFKA_SASL_JAAS_CONFIG
                                value: org.apache.kafka.common.security.scram.ScramLoginModule required username="c" password="hunter2";
                          - target: {kind: KafkaUser, name: webhook-config-service}
                            patch: |-
                              - op: add
                                path: /spec/authorization/acls/-
                                value: {resource: {type: topic, name: keyhook.credentials, patternType: literal}, operations: [Write]}
                          - target: {kind: KafkaUser, name: token-service}
                            patch: |-
                              - op: add
                                path: /spec/authorization/acls/-
                                value: {resource: {type: topic, name: "keyhook.", patternType: prefix}, operations: [Read]}
                        """
                        .formatted(prod));
        List<String> problems = ManifestRules.check(render(broken), true);
        System.out.println("Problems found in the broken production overlay:\n  " + String.join("\n  ", problems));
        assertTrue(
                problems.contains(
                        "ConfigMap/webhook-dispatcher: Kafka over PLAINTEXT in production (needs SSL or SASL_SSL)"),
                problems.toString());
        assertTrue(
                problems.contains(
                        "ConfigMap/token-service: PostgreSQL without verify-full (KEYHOOK_DB_SSL_MODE=require)"),
                problems.toString());
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith(
                                "ConfigMap/credentials-service: KEYHOOK_KAFKA_SASL_JAAS_CONFIG carries a password")),
                problems.toString());
        assertTrue(problems.contains(
                "KafkaUser/webhook-config-service: ACL topic:keyhook.credentials:Write is more than webhook-config-service needs"),
                problems.toString());
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith("KafkaUser/token-service: ACL on") && p.contains("broader")),
                problems.toString());
        // and the dev overlay is not held to production's rules, but still to the ACLs
        assertEquals(List.of(), ManifestRules.check(render(K8S.resolve("overlays/dev")), false));
    }

    @Test
    void aMistypedFieldFailsToParse() {
        JsonNode notADeployment = YAML.valueToTree(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata",
                Map.of("name", "x"), "spec", Map.of("replicas", "two")));
        List<String> problems = ManifestRules.check(List.of(notADeployment));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Deployment/x: not a valid Deployment")),
                problems.toString());
    }

    static List<JsonNode> render(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed: " + err);
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }
}
