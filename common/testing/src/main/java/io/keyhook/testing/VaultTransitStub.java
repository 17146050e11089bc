package io.keyhook.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server speaking the part of HashiCorp Vault's Transit API that Keyhook uses (encrypt, decrypt, rewrap,
 * read key, rotate key, create key), for testing our side of the protocol where no Vault server can be installed. Its
 * "encryption" is not cryptography: a ciphertext is {@code vault:v<N>:base64(context:plaintext)}, and decrypting with
 * another derivation context fails, as in Vault. It checks the client token and records each request's derivation
 * context.
 */
public final class VaultTransitStub implements AutoCloseable {

    public static final String TOKEN = "s.keyhook-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, AtomicInteger> keyVersions = new ConcurrentHashMap<>();
    private final List<String> contexts = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public VaultTransitStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Base64 derivation contexts seen, in order. */
    public List<String> contexts() {
        return List.copyOf(contexts);
    }

    /** "METHOD path" of every request, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + path);
        try (InputStream in = ex.getRequestBody()) {
            if (!TOKEN.equals(ex.getRequestHeaders().getFirst("X-Vault-Token"))) {
                reply(ex, 403, error("permission denied"));
                return;
            }
            byte[] raw = in.readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            String[] p = path.substring("/v1/".length()).split("/");
            if (p.length >= 3 && p[0].equals("transit")) {
                route(ex, p, body);
            } else {
                reply(ex, 404, error("no handler for route " + path));
            }
        } catch (RuntimeException e) {
            reply(ex, 400, error(e.getMessage()));
        }
    }

    private void route(HttpExchange ex, String[] p, JsonNode body) throws IOException {
        String op = p[1];
        String key = p[2];
        AtomicInteger version = keyVersions.computeIfAbsent(key, k -> new AtomicInteger(1));
        switch (op) {
        case "encrypt", "decrypt", "rewrap" -> {
            if (body.has("batch_input")) {
                // what quarkus-vault sends even for one item; Vault answers with batch_results
                ObjectNode out = JSON.createObjectNode();
                var results = out.putObject("data").putArray("batch_results");
                for (JsonNode item : body.get("batch_input")) {
                    results.add(JSON.valueToTree(apply(op, version.get(), item)));
                }
                reply(ex, 200, out);
            } else {
                reply(ex, 200, data(apply(op, version.get(), body)));
            }
        }
        case "keys" -> {
            if (p.length == 4 && p[3].equals("rotate")) {
                version.incrementAndGet();
                reply(ex, 204, null);
            } else if (ex.getRequestMethod().equals("GET")) {
                ObjectNode versions = JSON.createObjectNode();
                for (int v = 1; v <= version.get(); v++) {
                    versions.put(Integer.toString(v), 1_700_000_000L + v);
                }
                ObjectNode d = JSON.createObjectNode().put("name", key).put("type", "aes256-gcm96").put("derived", true)
                        .put("latest_version", version.get()).put("min_decryption_version", 1)
                        .put("min_encryption_version", 0).put("deletion_allowed", false).put("exportable", false)
                        .put("allow_plaintext_backup", false).put("supports_encryption", true)
                        .put("supports_decryption", true).put("supports_derivation", true)
                        .put("supports_signing", false).put("convergent_encryption", false).put("auto_rotate_period", 0)
                        .put("imported_key", false).put("kdf", "hkdf_sha256").put("min_available_version", 0)
                        .put("convergent_encryption_version", 0);
                d.set("keys", versions);
                ObjectNode out = JSON.createObjectNode();
                out.set("data", d);
                reply(ex, 200, out);
            } else {
                reply(ex, 204, null);
            }
        }
        default -> reply(ex, 404, error("unsupported transit operation " + op));
        }
    }

    private Map<String, String> apply(String op, int version, JsonNode item) {
        return switch (op) {
        case "encrypt" -> Map.of("ciphertext", seal(version, item));
        case "decrypt" -> Map.of("plaintext", open(item).plaintext());
        default -> {
            Opened o = open(item);
            yield Map.of("ciphertext", seal(version, o.context(), o.plaintext()));
        }
        };
    }

    private String seal(int version, JsonNode body) {
        String context = text(body, "context");
        return seal(version, context, text(body, "plaintext"));
    }

    private String seal(int version, String context, String plaintext) {
        contexts.add(context);
        String inner = context + ":" + plaintext;
        return "vault:v" + version + ":" + Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8));
    }

    private record Opened(String context, String plaintext) {
    }

    private Opened open(JsonNode body) {
        String context = text(body, "context");
        contexts.add(context);
        String ct = text(body, "ciphertext");
        String[] parts = ct.split(":", 3);
        String inner = new String(Base64.getDecoder().decode(parts[2]), StandardCharsets.UTF_8);
        int colon = inner.indexOf(':');
        if (!inner.substring(0, colon).equals(context)) {
            throw new IllegalArgumentException("cipher: message authentication failed");
        }
        return new Opened(context, inner.substring(colon + 1));
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return n.asText();
    }

    private static ObjectNode data(Map<String, String> values) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode d = out.putObject("data");
        values.forEach(d::put);
        return out;
    }

    private static ObjectNode error(String message) {
        ObjectNode out = JSON.createObjectNode();
        out.putArray("errors").add(message == null ? "error" : message);
        return out;
    }

    private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
