package io.keyhook.token.support;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

import io.keyhook.testing.StubHttpServer;

/**
 * A real HTTP server answering credentials-service's internal API the way it does, for the cases a test must steer: a
 * client credentials-service knows but has not published yet, and credentials-service being down. (The real service
 * behind the same contract is exercised end to end in the e2e module.)
 */
public final class CredentialsStub {

    private static final CredentialsStub SHARED = new CredentialsStub();

    private final Map<String, String> records = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** "path Authorization" of each request received. */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    /** Bearer tokens and signing key ids refused with 401, as credentials-service refuses revoked ones. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    /** Lookups of a client still to answer late, and how late. */
    private record Late(AtomicInteger left, long millis) {
    }

    private final Map<String, Late> slow = new ConcurrentHashMap<>();
    /** Lookups of a client still to refuse with 503. */
    private final Map<String, AtomicInteger> failing = new ConcurrentHashMap<>();
    private final StubHttpServer server = new StubHttpServer(this::handle);
    /** The bodies of {@code POST /internal/v1/key-usage} received. */
    private final List<String> keyUsageReports = new CopyOnWriteArrayList<>();

    public static CredentialsStub shared() {
        return SHARED;
    }

    public String url() {
        return server.url();
    }

    /** credentials-service now knows this client (its record JSON), whether or not it is on the topic. */
    public void put(String clientId, String recordJson) {
        records.put(clientId, recordJson);
    }

    /** While down, every call fails with 503 as a dead instance behind a load balancer would. */
    public void down(boolean down) {
        this.down = down;
    }

    /**
     * The next {@code times} lookups of this client are answered only after {@code millis}, as a cold or overloaded
     * instance would; later ones at once.
     */
    public void slow(String clientId, int times, long millis) {
        slow.put(clientId, new Late(new AtomicInteger(times), millis));
    }

    /** The next {@code times} lookups of this client fail with 503, as a starting or dying instance answers. */
    public void failNext(String clientId, int times) {
        failing.put(clientId, new AtomicInteger(times));
    }

    /** From now on every call with this bearer token is refused (401 token_revoked). */
    public void refuseToken(String authorization) {
        refused.add(authorization);
    }

    /** From now on every call with a token signed by this key is refused (401 token_revoked). */
    public void refuseKey(String kid) {
        refused.add("kid:" + kid);
    }

    /** Refuses no token any more. */
    public void refuseNone() {
        refused.clear();
    }

    /** "METHOD path" of each request received. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The bodies of the key-usage reports received, in order. */
    public List<String> keyUsageReports() {
        return List.copyOf(keyUsageReports);
    }

    /** Authorization headers received. */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + path);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
        calls.add(path + " " + (auth == null ? "" : auth));
        byte[] body = ex.getRequestBody().readAllBytes();
        if (down) {
            respond(ex, 503, "{\"code\":\"service_unavailable\"}");
        } else if (auth == null || !auth.startsWith("Bearer ")) {
            respond(ex, 401, "{\"code\":\"unauthenticated\"}");
        } else if (refused.contains(auth) || refused.contains("kid:" + kidOf(auth))) {
            respond(ex, 401, "{\"code\":\"token_revoked\"}");
        } else if (path.startsWith("/internal/v1/clients/")) {
            String clientId = path.substring("/internal/v1/clients/".length());
            AtomicInteger refusals = failing.get(clientId);
            if (refusals != null && refusals.getAndDecrement() > 0) {
                respond(ex, 503, "{\"code\":\"service_unavailable\"}");
                return;
            }
            Late late = slow.get(clientId);
            if (late != null && late.left().getAndDecrement() > 0) {
                try {
                    Thread.sleep(late.millis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String record = records.get(clientId);
            respond(ex, record == null ? 404 : 200, record == null ? "{\"code\":\"client_not_found\"}" : record);
        } else if (path.equals("/internal/v1/secret-usage")) {
            respond(ex, 200, "{\"updated\":0}");
        } else if (path.equals("/internal/v1/key-usage")) {
            String json = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            keyUsageReports.add(json);
            // as credentials-service answers: how many of the uses it recorded
            respond(ex, 200, "{\"updated\":" + (json.split("\"kid\"", -1).length - 1) + "}");
        } else {
            respond(ex, 404, "{}");
        }
    }

    /** The Authorization header of each request to {@code path}, in order. */
    public List<String> authorizationsTo(String path) {
        return calls.stream().filter(c -> c.startsWith(path + " ")).map(c -> c.substring(path.length() + 1)).toList();
    }

    private static String kidOf(String authorization) {
        try {
            return OAuth.part(authorization.substring("Bearer ".length()), 0).path("kid").asText();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        StubHttpServer.respond(ex, status, body);
    }
}
