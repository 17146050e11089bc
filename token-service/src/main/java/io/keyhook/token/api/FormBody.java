package io.keyhook.token.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.keyhook.token.service.OAuthException;

/**
 * An {@code application/x-www-form-urlencoded} body read by hand, because RFC 6749 section 3.2 says parameters must not
 * repeat and a framework's form map would silently keep one of them. Empty values count as absent.
 */
final class FormBody {

    private final Map<String, String> values;

    private FormBody(Map<String, String> values) {
        this.values = values;
    }

    static FormBody parse(String body) {
        Map<String, String> values = new HashMap<>();
        if (body == null || body.isEmpty()) {
            return new FormBody(values);
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (values.containsKey(name)) {
                throw OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                        "parameter " + safe(name) + " is repeated");
            }
            values.put(name, value);
        }
        return new FormBody(values);
    }

    /** The value, or null when absent or empty. */
    String get(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.badRequest(OAuthException.INVALID_REQUEST, "the form body is not validly encoded");
        }
    }

    /** A parameter name fit to echo back: short and plain. */
    static String safe(String name) {
        return name.length() <= 40 && name.matches("[A-Za-z0-9_.:-]+") ? name : "(unnamed)";
    }
}
