package io.keyhook.webhooks.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import io.keyhook.testing.StubHttpServer;

/**
 * A real HTTP server answering what webhook-config-service asks of credentials-service and token-service: the lease API
 * with its rules (only active secrets of the same Environment; a token-exchange secret only to the site it was first
 * leased to) and a token endpoint. The real services behind the same contract are exercised in the e2e module. It also
 * answers webhook-dispatcher's breaker read.
 */
public final class CredentialsStub {

    private static final CredentialsStub SHARED = new CredentialsStub();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A secret as credentials-service knows it. */
    public record Secret(String environment, boolean active) {
    }

    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final Map<String, List<String>> leases = new ConcurrentHashMap<>();
    /** Secret id → the site it was first leased to for token exchange (credentials-service's disclosed_to). */
    private final Map<String, String> disclosedTo = new ConcurrentHashMap<>();
    private final Map<String, List<String>> environments = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Map<String, String>>> breakers = new ConcurrentHashMap<>();
    private volatile boolean down;
    private volatile boolean dispatcherDown;
    private final AtomicInteger failures = new AtomicInteger();
    private final StubHttpServer server = new StubHttpServer(this::handle);

    public static CredentialsStub shared() {
        return SHARED;
    }

    public String url() {
        return server.url();
    }

    public void secret(String id, String environment, boolean active) {
        secrets.put(id, new Secret(environment, active));
    }

    /** An Environment credentials-service has (and answers to an admin's GET) before keyhook.environments brings it. */
    public void environment(String id, String... dataTypes) {
        environments.put(id, List.of(dataTypes));
    }

    /** The same, with a maximum secret age, as credentials-service's EnvironmentResponse shows it. */
    public void environmentWithMaxAge(String id, int maxAgeDays, int graceDays, String... dataTypes) {
        environmentSettings.put(id, Map.of("secretMaxAgeDays", maxAgeDays, "secretExpiryGraceDays", graceDays));
        environment(id, dataTypes);
    }

    private final Map<String, Map<String, Object>> environmentSettings = new java.util.concurrent.ConcurrentHashMap<>();

    /** The secrets a webhook holds (empty when none). */
    public List<String> leasesOf(String webhookId) {
        return leases.getOrDefault(webhookId, List.of());
    }

    /** The site the secret was pinned to by its first token-exchange lease, or null. */
    public String disclosedTo(String secretId) {
        return disclosedTo.get(secretId);
    }

    /** The dispatcher reports this webhook's breaker {@code state} (open, half_open), until {@code openUntil}. */
    public void breaker(String environment, String webhookId, String state, String openUntil) {
        breakers.computeIfAbsent(environment, e -> new ConcurrentHashMap<>()).put(webhookId,
                Map.of("state", state, "openedAt", "2026-11-30T10:00:00Z", "openUntil", openUntil));
    }

    /** The dispatcher's breaker read answers 503 while down. */
    public void dispatcherDown(boolean down) {
        this.dispatcherDown = down;
    }

    public void down(boolean down) {
        this.down = down;
    }

    /** The next {@code n} calls to the internal API answer 503, as a credentials-service restarting would. */
    public void failNext(int n) {
        failures.set(n);
    }

    /** The dispatcher's verification pings: whether the receiver answers 2xx from now on, and what was asked. */
    public void pingsDelivered(boolean delivered) {
        this.pingsDelivered = delivered;
    }

    public List<String> pingBodies() {
        return List.copyOf(pingBodies);
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    private volatile boolean pingsDelivered = true;
    private final List<String> pingBodies = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        requests.add(method + " " + path);
        byte[] body = ex.getRequestBody().readAllBytes();
        if (down) {
            respond(ex, 503, "{\"code\":\"service_unavailable\"}");
            return;
        }
        if (path.equals("/oauth2/token")) {
            respond(ex, 200, "{\"access_token\":\"stub-service-token\",\"token_type\":\"Bearer\",\"expires_in\":900}");
            return;
        }
        // webhook-dispatcher's breakers, asked with this service's token
        if (method.equals("GET") && path.startsWith("/api/v1/environments/") && path.endsWith("/breakers")) {
            String env = path.split("/")[4];
            if (dispatcherDown) {
                respond(ex, 503, "{\"code\":\"restarting\"}");
            } else if (!"Bearer stub-service-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                respond(ex, 401, "{\"code\":\"unauthenticated\"}");
            } else {
                respond(ex, 200, JSON.writeValueAsString(Map.of("breakers", breakers.getOrDefault(env, Map.of()))));
            }
            return;
        }
        // the admin API's Environment read, asked with the admin's own token
        if (method.equals("GET") && path.startsWith("/api/v1/environments/")) {
            String env = path.substring("/api/v1/environments/".length());
            List<String> types = environments.get(env);
            if (types == null || ex.getRequestHeaders().getFirst("Authorization") == null) {
                respond(ex, 404, "{\"code\":\"environment_not_found\"}");
            } else {
                Map<String, Object> answer = new java.util.HashMap<>(
                        Map.of("id", env, "name", env, "configuration", "cfg-" + env, "configurationVersion", 1,
                                "dataTypes", types, "updatedAt", "2026-11-30T10:00:00Z", "secretExpiryGraceDays", 14));
                answer.putAll(environmentSettings.getOrDefault(env, Map.of()));
                respond(ex, 200, JSON.writeValueAsString(answer));
            }
            return;
        }
        if (!"Bearer stub-service-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            respond(ex, 401, "{\"code\":\"unauthenticated\"}");
            return;
        }
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respond(ex, 503, "{\"code\":\"restarting\"}");
            return;
        }
        String[] parts = path.split("/");
        // webhook-dispatcher's verification ping: /internal/v1/environments/{env}/webhooks/{id}/ping
        if (method.equals("POST") && path.startsWith("/internal/v1/environments/") && path.endsWith("/ping")) {
            pingBodies.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            respond(ex, 200, pingsDelivered
                    ? "{\"messageId\":\"msg_ping_stub\",\"delivered\":true,\"statusCode\":204,\"latencyMs\":3}"
                    : "{\"messageId\":\"msg_ping_stub\",\"delivered\":false,\"statusCode\":401,\"latencyMs\":3}");
            return;
        }
        // /internal/v1/webhooks/{id}/leases
        if (parts.length == 6 && path.startsWith("/internal/v1/webhooks/") && parts[5].equals("leases")) {
            String webhook = parts[4];
            if (method.equals("DELETE")) {
                leases.remove(webhook);
                respond(ex, 204, "");
            } else if (method.equals("PUT")) {
                JsonNode req = JSON.readTree(body);
                String env = req.path("environment").asText();
                List<String> ids = new ArrayList<>();
                List<String> errors = new ArrayList<>();
                for (int i = 0; i < req.path("secretIds").size(); i++) {
                    String id = req.path("secretIds").get(i).asText();
                    ids.add(id);
                    Secret s = secrets.get(id);
                    if (s == null || !s.environment().equals(env)) {
                        errors.add("{\"field\":\"secretIds[" + i + "]\",\"message\":\"secret " + id
                                + " does not exist in Environment " + env + "\"}");
                    } else if (!s.active()) {
                        errors.add("{\"field\":\"secretIds[" + i + "]\",\"message\":\"secret " + id
                                + " is invalidated\"}");
                    }
                }
                if (!errors.isEmpty()) {
                    respond(ex, 422, "{\"code\":\"secret_not_usable\",\"errors\":[" + String.join(",", errors) + "]}");
                } else if (!pinned(ex, req.path("disclosure"))) {
                    return;
                } else {
                    leases.put(webhook, List.copyOf(ids));
                    respond(ex, 200,
                            "{\"webhookId\":\"" + webhook + "\",\"secretIds\":" + JSON.writeValueAsString(ids) + "}");
                }
            } else {
                respond(ex, 405, "{}");
            }
            return;
        }
        respond(ex, 404, "{}");
    }

    /**
     * As credentials-service pins token-exchange secrets: each to the first site it is leased to; another site is
     * refused (422 secret_pinned_elsewhere, disclosedTo). True when the lease may go on.
     */
    private synchronized boolean pinned(HttpExchange ex, JsonNode disclosure) throws IOException {
        if (disclosure.isMissingNode() || disclosure.isNull()) {
            return true;
        }
        String site = disclosure.path("site").asText();
        Map<String, String> elsewhere = new LinkedHashMap<>();
        List<Map<String, String>> errors = new ArrayList<>();
        for (int i = 0; i < disclosure.path("secretIds").size(); i++) {
            String id = disclosure.path("secretIds").get(i).asText();
            String pin = disclosedTo.get(id);
            if (pin != null && !pin.equals(site)) {
                elsewhere.put(id, pin);
                errors.add(Map.of("field", "disclosure.secretIds[" + i + "]", "message", "sent to " + pin));
            }
        }
        if (!elsewhere.isEmpty()) {
            respond(ex, 422, JSON.writeValueAsString(Map.of("code", "secret_pinned_elsewhere", "detail",
                    "pinned to " + elsewhere.values(), "errors", errors, "disclosedTo", elsewhere)));
            return false;
        }
        disclosure.path("secretIds").forEach(id -> disclosedTo.putIfAbsent(id.asText(), site));
        return true;
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        StubHttpServer.respond(ex, status, body);
    }
}
