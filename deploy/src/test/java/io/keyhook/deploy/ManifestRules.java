package io.keyhook.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * What a rendered overlay must satisfy beyond "it is YAML": every object parses as its typed Kubernetes model
 * (fabric8), and the rules we deploy by hold — probes on the Quarkus health endpoints, resources, non-root, no secret
 * values, selectors and references that point at something, HPA bounds within the topic's partitions.
 */
final class ManifestRules {

    static final Set<String> KINDS = Set.of("Namespace", "ServiceAccount", "ConfigMap", "Deployment", "Service",
            "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "KafkaTopic", "KafkaUser");

    /** The services with a Kafka client and a database, each with its own KafkaUser. */
    static final Set<String> KAFKA_SERVICES = Set.of("credentials-service", "token-service", "webhook-config-service",
            "webhook-dispatcher");

    /**
     * What each service does on Kafka, as {@code type:name:operation}: the most a KafkaUser may allow. Every service
     * reads keyhook.credentials and keyhook.token-revocations (the admin-token check); the rest is each one's outbox or
     * consumer (docs/architecture.md, "Who owns what").
     */
    static final Map<String, Set<String>> KAFKA_NEEDS = Map.of("credentials-service",
            Set.of("topic:keyhook.credentials:Describe", "topic:keyhook.credentials:Read",
                    "topic:keyhook.credentials:Write", "topic:keyhook.environments:Describe",
                    "topic:keyhook.environments:Write", "topic:keyhook.token-revocations:Describe",
                    "topic:keyhook.token-revocations:Read"),
            "token-service",
            Set.of("topic:keyhook.credentials:Describe", "topic:keyhook.credentials:Read",
                    "topic:keyhook.token-revocations:Describe", "topic:keyhook.token-revocations:Read",
                    "topic:keyhook.token-revocations:Write"),
            "webhook-config-service",
            Set.of("topic:keyhook.credentials:Describe", "topic:keyhook.credentials:Read",
                    "topic:keyhook.token-revocations:Describe", "topic:keyhook.token-revocations:Read",
                    "topic:keyhook.environments:Describe", "topic:keyhook.environments:Read",
                    "topic:keyhook.webhooks:Describe", "topic:keyhook.webhooks:Write"),
            "webhook-dispatcher",
            Set.of("topic:keyhook.credentials:Describe", "topic:keyhook.credentials:Read",
                    "topic:keyhook.token-revocations:Describe", "topic:keyhook.token-revocations:Read",
                    "topic:keyhook.environments:Describe", "topic:keyhook.environments:Read",
                    "topic:keyhook.webhooks:Describe", "topic:keyhook.webhooks:Read",
                    "topic:keyhook.data-changes:Describe", "topic:keyhook.data-changes:Read",
                    "group:keyhook-dispatcher:Read", "topic:keyhook.data-changes.dlq:Describe",
                    "topic:keyhook.data-changes.dlq:Write"));
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private ManifestRules() {
    }

    /** Problems found in the rendered objects; empty when all is well. */
    static List<String> check(List<JsonNode> docs) {
        return check(docs, false);
    }

    /**
     * @param production
     *            also require what a production overlay must have: no plaintext Kafka or database connection
     */
    static List<String> check(List<JsonNode> docs, boolean production) {
        List<String> problems = new ArrayList<>();
        List<Deployment> deployments = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<HorizontalPodAutoscaler> hpas = new ArrayList<>();
        List<PodDisruptionBudget> pdbs = new ArrayList<>();
        Map<String, Integer> partitions = new java.util.HashMap<>();
        Map<String, ConfigMap> configMaps = new java.util.HashMap<>();
        Set<String> kafkaUsers = new java.util.HashSet<>();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            String name = d.path("metadata").path("name").asText();
            String where = kind + "/" + name;
            if (d.path("apiVersion").asText().isEmpty() || kind.isEmpty() || name.isEmpty()) {
                problems.add("an object lacks apiVersion, kind or metadata.name: " + d);
                continue;
            }
            if (!KINDS.contains(kind)) {
                problems.add(where + ": unexpected kind (a Secret, say, has no place here: secrets come from Vault)");
                continue;
            }
            try {
                switch (kind) {
                case "Deployment" -> deployments.add(JSON.treeToValue(d, Deployment.class));
                case "Service" -> services.add(JSON.treeToValue(d, Service.class));
                case "HorizontalPodAutoscaler" -> hpas.add(JSON.treeToValue(d, HorizontalPodAutoscaler.class));
                case "PodDisruptionBudget" -> pdbs.add(JSON.treeToValue(d, PodDisruptionBudget.class));
                case "NetworkPolicy" -> {
                    if (JSON.treeToValue(d, NetworkPolicy.class).getSpec().getPodSelector() == null) {
                        problems.add(where + ": no podSelector");
                    }
                }
                case "ConfigMap" -> {
                    ConfigMap m = JSON.treeToValue(d, ConfigMap.class);
                    checkConfigMap(where, m, problems);
                    configMaps.put(name, m);
                }
                case "KafkaUser" -> {
                    kafkaUsers.add(name);
                    checkKafkaUser(where, name, d, problems);
                }
                case "KafkaTopic" -> {
                    if (d.path("metadata").path("labels").path("strimzi.io/cluster").asText().isEmpty()) {
                        problems.add(where + ": no strimzi.io/cluster label");
                    }
                    int p = d.path("spec").path("partitions").asInt(0);
                    if (p <= 0 || d.path("spec").path("replicas").asInt(0) <= 0) {
                        problems.add(where + ": partitions and replicas must be positive");
                    }
                    partitions.put(name, p);
                }
                default -> {
                }
                }
            } catch (Exception e) {
                problems.add(where + ": not a valid " + kind + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        deployments.forEach(dep -> checkDeployment(dep, problems));
        for (String service : KAFKA_SERVICES) {
            if (deployments.stream().anyMatch(dep -> dep.getMetadata().getName().equals(service))
                    && !kafkaUsers.contains(service)) {
                problems.add(
                        "Deployment/" + service + ": no KafkaUser " + service + " (one per service, with its ACLs)");
            }
        }
        if (production) {
            for (Deployment dep : deployments) {
                String name = dep.getMetadata().getName();
                if (KAFKA_SERVICES.contains(name)) {
                    checkNoPlaintext(name, configMaps.get(name), dep, problems);
                }
            }
        }
        for (Service s : services) {
            Deployment target = deployments.stream().filter(dep -> matches(s.getSpec().getSelector(), dep)).findFirst()
                    .orElse(null);
            if (target == null) {
                problems.add("Service/" + s.getMetadata().getName() + ": its selector matches no Deployment");
                continue;
            }
            for (ServicePort port : s.getSpec().getPorts()) {
                String named = port.getTargetPort() == null ? null : port.getTargetPort().getStrVal();
                boolean exists = target.getSpec().getTemplate().getSpec().getContainers().stream()
                        .flatMap(c -> c.getPorts().stream()).anyMatch(cp -> named != null ? named.equals(cp.getName())
                                : Objects.equals(port.getTargetPort().getIntVal(), cp.getContainerPort()));
                if (!exists) {
                    problems.add("Service/" + s.getMetadata().getName() + ": targetPort " + port.getTargetPort()
                            + " is no container port of Deployment/" + target.getMetadata().getName());
                }
            }
        }
        for (HorizontalPodAutoscaler h : hpas) {
            String target = h.getSpec().getScaleTargetRef().getName();
            if (deployments.stream().noneMatch(dep -> dep.getMetadata().getName().equals(target))) {
                problems.add("HorizontalPodAutoscaler/" + h.getMetadata().getName() + ": no Deployment " + target);
            }
            if (h.getSpec().getMinReplicas() == null || h.getSpec().getMinReplicas() > h.getSpec().getMaxReplicas()) {
                problems.add("HorizontalPodAutoscaler/" + h.getMetadata().getName() + ": minReplicas > maxReplicas");
            }
            Integer p = partitions.get("keyhook.data-changes");
            if ("webhook-dispatcher".equals(target) && p != null && h.getSpec().getMaxReplicas() > p) {
                problems.add("HorizontalPodAutoscaler/" + h.getMetadata().getName() + ": more dispatchers ("
                        + h.getSpec().getMaxReplicas() + ") than partitions of keyhook.data-changes (" + p + ")");
            }
        }
        for (PodDisruptionBudget pdb : pdbs) {
            if (deployments.stream().noneMatch(dep -> matches(pdb.getSpec().getSelector().getMatchLabels(), dep))) {
                problems.add(
                        "PodDisruptionBudget/" + pdb.getMetadata().getName() + ": its selector matches no Deployment");
            }
        }
        return problems;
    }

    private static void checkDeployment(Deployment d, List<String> problems) {
        String where = "Deployment/" + d.getMetadata().getName();
        var template = d.getSpec().getTemplate();
        if (!matches(d.getSpec().getSelector().getMatchLabels(), d)) {
            problems.add(where + ": selector does not match the pod template's labels");
        }
        var pod = template.getSpec();
        boolean podNonRoot = pod.getSecurityContext() != null
                && Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot());
        if (pod.getContainers() == null || pod.getContainers().isEmpty()) {
            problems.add(where + ": no containers");
            return;
        }
        for (Container c : pod.getContainers()) {
            String cw = where + " container " + c.getName();
            if (c.getImage() == null || c.getImage().isBlank()) {
                problems.add(cw + ": no image");
            }
            var r = c.getResources();
            if (r == null || r.getRequests() == null || !r.getRequests().containsKey("cpu")
                    || !r.getRequests().containsKey("memory") || r.getLimits() == null
                    || !r.getLimits().containsKey("memory")) {
                problems.add(cw + ": needs cpu and memory requests and a memory limit");
            }
            if (!probes(c.getReadinessProbe(), "/q/health/ready")) {
                problems.add(cw + ": needs a readiness probe on /q/health/ready");
            }
            if (!probes(c.getLivenessProbe(), "/q/health/live")) {
                problems.add(cw + ": needs a liveness probe on /q/health/live");
            }
            boolean nonRoot = podNonRoot
                    || c.getSecurityContext() != null && Boolean.TRUE.equals(c.getSecurityContext().getRunAsNonRoot());
            if (!nonRoot) {
                problems.add(cw + ": must run as non-root");
            }
            for (EnvVar e : c.getEnv() == null ? List.<EnvVar> of() : c.getEnv()) {
                if (looksSecret(e.getName()) && e.getValue() != null && !e.getValue().isBlank()) {
                    problems.add(cw + ": env " + e.getName() + " carries a secret value; read it from Vault");
                }
            }
        }
    }

    private static void checkConfigMap(String where, ConfigMap m, List<String> problems) {
        if (m.getData() == null) {
            return;
        }
        m.getData().forEach((k, v) -> {
            if (looksSecret(k)) {
                problems.add(where + ": " + k + " looks like a secret; secrets come from Vault");
            }
            // a password written into a value (a JAAS line, say) instead of a reference resolved from Vault
            if (v != null && v.matches("(?s).*password=\"(?!\\$\\{)[^\"]+\".*")) {
                problems.add(where + ": " + k + " carries a password; reference it (${...}) and keep it in Vault");
            }
            if (k.endsWith("TRUSTED_PROXIES") && (v.contains("0.0.0.0/0") || v.contains("::/0"))) {
                problems.add(where + ": " + k + " trusts every peer: anyone could choose their source address");
            }
        });
        // behind the ingress every caller shares its address unless forwarding is trusted from it (issue 14)
        String key = switch (where) {
        case "ConfigMap/token-service" -> "KEYHOOK_TRUSTED_PROXIES";
        case "ConfigMap/console" -> "KEYHOOK_CONSOLE_TRUSTED_PROXIES";
        default -> null;
        };
        if (key != null && (m.getData().get(key) == null || m.getData().get(key).isBlank())) {
            problems.add(where + ": no " + key + ": behind the ingress every caller would share one address");
        }
    }

    /** Each ACL must be one the service needs; "All", wildcards and prefixes are never needed. */
    private static void checkKafkaUser(String where, String name, JsonNode d, List<String> problems) {
        if (d.path("metadata").path("labels").path("strimzi.io/cluster").asText().isEmpty()) {
            problems.add(where + ": no strimzi.io/cluster label");
        }
        Set<String> needs = KAFKA_NEEDS.get(name);
        if (needs == null) {
            problems.add(where + ": no Keyhook service of that name needs a Kafka user");
            return;
        }
        JsonNode spec = d.path("spec");
        if (spec.path("authentication").path("type").asText().isEmpty()) {
            problems.add(where + ": no authentication");
        }
        if (!"simple".equals(spec.path("authorization").path("type").asText())) {
            problems.add(where + ": authorization must be simple ACLs");
        }
        for (JsonNode acl : spec.path("authorization").path("acls")) {
            JsonNode r = acl.path("resource");
            String pattern = r.path("patternType").asText("literal");
            if (!"literal".equals(pattern) || "*".equals(r.path("name").asText())) {
                problems.add(where + ": ACL on " + r + " is broader than one named resource");
                continue;
            }
            List<String> ops = new ArrayList<>();
            acl.path("operations").forEach(o -> ops.add(o.asText()));
            if (acl.has("operation")) {
                ops.add(acl.path("operation").asText());
            }
            for (String op : ops) {
                String grant = r.path("type").asText() + ":" + r.path("name").asText() + ":" + op;
                if (!needs.contains(grant)) {
                    problems.add(where + ": ACL " + grant + " is more than " + name + " needs");
                }
            }
        }
    }

    /** A production service reaches Kafka over TLS with a login, and PostgreSQL with verify-full, CAs mounted. */
    private static void checkNoPlaintext(String name, ConfigMap m, Deployment dep, List<String> problems) {
        String where = "ConfigMap/" + name;
        Map<String, String> data = m == null || m.getData() == null ? Map.of() : m.getData();
        String protocol = data.getOrDefault("KEYHOOK_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        if (!Set.of("SSL", "SASL_SSL").contains(protocol)) {
            problems.add(where + ": Kafka over " + protocol + " in production (needs SSL or SASL_SSL)");
        }
        if (!"verify-full".equals(data.get("KEYHOOK_DB_SSL_MODE"))) {
            problems.add(where + ": PostgreSQL without verify-full (KEYHOOK_DB_SSL_MODE="
                    + data.get("KEYHOOK_DB_SSL_MODE") + ")");
        }
        String jdbc = data.getOrDefault("KEYHOOK_DB_JDBC_URL", "");
        if (!jdbc.contains("sslmode=verify-full")) {
            problems.add(where + ": the JDBC URL (Flyway) does not use sslmode=verify-full");
        }
        List<String> mounts = dep.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts() == null
                ? List.of() : dep.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                        .map(v -> v.getMountPath()).toList();
        for (String file : List.of(data.getOrDefault("KEYHOOK_DB_CA_FILE", ""),
                data.getOrDefault("KEYHOOK_KAFKA_SSL_TRUSTSTORE_LOCATION", ""))) {
            if (!file.isEmpty() && mounts.stream().noneMatch(mp -> file.startsWith(mp + "/"))) {
                problems.add("Deployment/" + name + ": " + file + " is on no mounted volume");
            }
        }
    }

    static boolean looksSecret(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
        return n.contains("PASSWORD") || n.endsWith("SECRET") || n.contains("PEPPER") || n.endsWith("PRIVATE_KEY");
    }

    private static boolean probes(Probe p, String path) {
        return p != null && p.getHttpGet() != null && path.equals(p.getHttpGet().getPath());
    }

    private static boolean matches(Map<String, String> selector, Deployment d) {
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
        return selector != null && !selector.isEmpty() && labels != null
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
