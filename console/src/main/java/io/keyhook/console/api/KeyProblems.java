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
