package io.keyhook.console.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.console.client.ApiResult;

/**
 * Reading keys the person pasted, and putting credentials-service's refusals of them next to the field they concern:
 * its key problems name no field, only a code ({@code jwks_*}, {@code invalid_jwks}: the pasted keys;
 * {@code jwks_uri_*}: the URL).
 */
final class KeyProblems {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PRIVATE_MEMBERS = { "d", "p", "q", "dp", "dq", "qi", "oth", "k" };

    private KeyProblems() {
    }

    /** The pasted text as JSON, or null when it is not JSON (the form says so without calling the API). */
    static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(text);
            return n == null || n.isMissingNode() ? null : n;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Whether the pasted keys hold private material (RFC 7518 {@code d}, {@code p}, {@code q}, {@code dp}, {@code dq},
     * {@code qi}, {@code oth}; {@code k} of a symmetric key): such text is neither sent to the API nor shown again.
     */
    static boolean hasPrivateKey(JsonNode n) {
        if (n == null) {
            return false;
        }
        if (n.isObject()) {
            for (String member : PRIVATE_MEMBERS) {
                if (n.has(member)) {
                    return true;
                }
            }
        }
        if (n.isContainerNode()) {
            for (JsonNode child : n) {
                if (hasPrivateKey(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What the form says instead of showing a private key again. */
    static final String PRIVATE_KEY_PASTED = "That is a private key: it was not sent, and it is not shown again. Paste"
            + " only the public key (without d, p, q, dp, dq, qi or k); the private key stays with your App.";

    /** The API's field errors, plus its key problem under {@code keysField} or {@code uriField}. */
    static Map<String, String> fieldErrors(ApiResult r, String keysField, String uriField) {
        Map<String, String> out = new LinkedHashMap<>(r.fieldErrors());
        String code = r.code();
        if (code == null) {
            return out;
        }
        String shown = r.message() + " (" + code + ")";
        if (code.startsWith("jwks_uri")) {
            out.putIfAbsent(uriField, shown);
        } else if (code.startsWith("jwks") || code.equals("invalid_jwks")) {
            out.putIfAbsent(keysField, shown);
        }
        return out;
    }
}
