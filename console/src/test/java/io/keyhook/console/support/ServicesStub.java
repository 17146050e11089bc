package io.keyhook.console.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import io.keyhook.testing.StubHttpServer;

/**
 * The four services' public APIs as the console calls them, on a real HTTP server: each test scripts the answers
 * ({@link #on}) and reads what the console sent ({@link #requests}). It stands in for the services (and for
 * credentials-service's key-rotation API, which is built in parallel) so that the console's pages, forms and escaping
 * are tested over real HTTP without the whole suite; e2e-tests run the console against the real services.
 */
public final class ServicesStub {

    public static final String ENV = "env-1";
    public static final String API = "/api/v1/environments/" + ENV;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServicesStub SHARED = new ServicesStub();

    /** One request the console made ({@code query} as sent, null when none). */
    public record Request(String method, String path, JsonNode body, String query) {

        /** A query parameter's value, decoded; null when absent. */
        public String param(String name) {
            if (query == null) {
                return null;
            }
            for (String p : query.split("&")) {
                int eq = p.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
                if (k.equals(name)) {
                    return eq < 0 ? "" : java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    private record Answer(int status, String body) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final StubHttpServer server = new StubHttpServer(this::handle);

    public static ServicesStub shared() {
        return SHARED;
    }

    public String url() {
        return server.url();
    }

    /** Forgets every scripted answer and request; then an admin with {@link #ENV}, no client and no webhook. */
    public void reset() {
        answers.clear();
        requests.clear();
        on("POST", "/oauth2/token", 200, "{\"access_token\":\"" + adminToken() + "\",\"expires_in\":3600}");
        on("GET", "/api/v1/environments", 200, "{\"items\":[{\"id\":\"" + ENV + "\",\"name\":\"Env one\"}]}");
        on("GET", API, 200, "{\"id\":\"" + ENV + "\",\"name\":\"Env one\",\"dataTypes\":[\"Patient\"]}");
        on("GET", API + "/clients", 200, "[]");
        on("GET", API + "/dormant-credentials", 200, "{\"items\":[]}");
        on("GET", API + "/webhooks", 200, "{\"items\":[]}");
        on("GET", API + "/notification-types", 200, "[\"Patient.created\"]");
        on("GET", API + "/webhook-limits", 200, "{\"webhooks\":0,\"maxWebhooks\":10}");
    }

    /**
     * From the next sign-in on, the admin is a platform operator whose token lists {@code environmentsJson} (the inside
     * of a JSON array), as for an operator with hundreds of Environments.
     */
    public void operatorOf(String environmentsJson) {
        on("POST", "/oauth2/token", 200,
                "{\"access_token\":\"" + token("platform-operator", environmentsJson) + "\",\"expires_in\":3600}");
    }

    /** The answer to {@code method path} (query ignored) from now on: JSON, or problem+json from 300 up. */
    public void on(String method, String path, int status, String body) {
        answers.put(method + " " + path, new Answer(status, body));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests made with {@code method} to {@code path}. */
    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        byte[] raw = ex.getRequestBody().readAllBytes();
        String type = ex.getRequestHeaders().getFirst("content-type");
        JsonNode body = raw.length == 0 || type == null || !type.startsWith("application/json") ? null
                : JSON.readTree(raw);
        requests.add(new Request(ex.getRequestMethod(), path, body, ex.getRequestURI().getRawQuery()));
        Answer a = answers.get(ex.getRequestMethod() + " " + path);
        if (a == null) {
            StubHttpServer.respond(ex, 404,
                    "{\"status\":404,\"code\":\"not_found\",\"detail\":\"no stub for " + path + "\"}");
            return;
        }
        StubHttpServer.respond(ex, a.status(), a.body());
    }

    /** An admin token as token-service issues it; the console reads its claims, the services verify it. */
    private static String adminToken() {
        return token("integration-admin", "\"" + ENV + "\"");
    }

    private static String token(String group, String environmentsJson) {
        String header = b64("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}");
        String claims = b64("{\"sub\":\"adm_test\",\"groups\":[\"" + group + "\"],\"environments\":[" + environmentsJson
                + "],\"exp\":" + Instant.now().plusSeconds(3600).getEpochSecond() + "}");
        return header + "." + claims + "." + b64("not-checked-by-the-console");
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
