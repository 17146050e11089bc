package io.keyhook.core.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A webhook's custom static headers (issue 31): which an admin may set, checked when the webhook is saved
 * (webhook-config-service) and again before each attempt (webhook-dispatcher, defence in depth). A name is an RFC 9110
 * token of at most {@link #MAX_NAME_CHARS}; a value is visible ASCII, space and tab only (no CR, LF, NUL or other
 * control character: no header injection), at most {@link #MAX_VALUE_CHARS}, without leading or trailing whitespace (a
 * receiver would trim it). Names that carry delivery semantics are denied: {@code webhook-*} (the signature and its
 * inputs), {@code authorization} (the security methods), {@code host}, {@code content-*}, hop-by-hop headers and
 * cookies. A refusal names the header only once it is made printable, and never carries the value.
 */
public final class WebhookHeaders {

    public static final int MAX_NAME_CHARS = 64;
    public static final int MAX_VALUE_CHARS = 1024;

    /** Stable problem codes. */
    public static final String NAME_INVALID = "header_name_invalid";
    public static final String NAME_DENIED = "header_name_denied";
    public static final String VALUE_INVALID = "header_value_invalid";
    public static final String DUPLICATE = "header_duplicate";
    public static final String TOO_MANY = "too_many_headers";
    public static final String TOO_LARGE = "headers_too_large";

    private static final List<String> DENIED_PREFIXES = List.of("webhook-", "content-", "proxy-");
    private static final Set<String> DENIED = Set.of("authorization", "host", "connection", "keep-alive", "te",
            "trailer", "transfer-encoding", "upgrade", "cookie", "set-cookie", "expect");
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    /** One refused header: its stable {@code code}, its printable name and why (never its value). */
    public record Refusal(String code, String header, String message) {
    }

    private WebhookHeaders() {
    }

    /**
     * Every refusal of {@code headers} (empty when they may be sent): each bad name or value, names that differ only by
     * case, more than {@code maxCount} headers, more than {@code maxTotalBytes} in all (name + ": " + value + CRLF).
     */
    public static List<Refusal> check(Map<String, String> headers, int maxCount, int maxTotalBytes) {
        List<Refusal> out = new ArrayList<>();
        if (headers == null) {
            return out;
        }
        if (headers.size() > maxCount) {
            out.add(new Refusal(TOO_MANY, null, "at most " + maxCount + " headers"));
        }
        Map<String, String> seen = new HashMap<>();
        long total = 0;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = e.getKey();
            Refusal r = problem(name, e.getValue());
            if (r != null) {
                out.add(r);
                continue;
            }
            String earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (earlier != null) {
                out.add(new Refusal(DUPLICATE, name,
                        "the same header as " + earlier + " (names are case-insensitive)"));
            }
            total += name.length() + 4L + e.getValue().getBytes(StandardCharsets.US_ASCII).length;
        }
        if (total > maxTotalBytes) {
            out.add(new Refusal(TOO_LARGE, null, "more than " + maxTotalBytes + " bytes of headers in all"));
        }
        return out;
    }

    /** Why this one header may not be sent, or null when it may. */
    public static Refusal problem(String name, String value) {
        if (name == null || !isToken(name)) {
            return new Refusal(NAME_INVALID, printable(name),
                    "not a header name (1 to " + MAX_NAME_CHARS + " RFC 9110 token characters)");
        }
        if (denied(name)) {
            return new Refusal(NAME_DENIED, name,
                    "may not be set: webhook-*, authorization, host, content-*, hop-by-hop headers and cookies are"
                            + " Keyhook's or the connection's");
        }
        if (value == null) {
            return new Refusal(VALUE_INVALID, name, "has no value");
        }
        if (value.length() > MAX_VALUE_CHARS) {
            return new Refusal(VALUE_INVALID, name, "value longer than " + MAX_VALUE_CHARS + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c == '\t' || c >= 0x20 && c <= 0x7e)) {
                return new Refusal(VALUE_INVALID, name,
                        "value may hold visible ASCII, space and tab only (no CR, LF, NUL or other control character)");
            }
        }
        if (!value.isEmpty() && (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1)))) {
            return new Refusal(VALUE_INVALID, name, "value may not begin or end with a space or tab");
        }
        return null;
    }

    /** Whether a header of this name is Keyhook's, the security method's or the connection's (case-insensitive). */
    public static boolean denied(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return DENIED.contains(lower) || DENIED_PREFIXES.stream().anyMatch(lower::startsWith);
    }

    /**
     * The headers that may be sent, lower-cased, in their order; anything refused is left out (the dispatcher's check
     * before each attempt: a record that got past webhook-config-service still cannot inject or override a header).
     */
    public static Map<String, String> sendable(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (problem(name, value) == null) {
                    out.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                }
            });
        }
        return out;
    }

    static boolean isToken(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A name as it may be shown in an answer: token characters kept, anything else a {@code ?}, at most 64. */
    static String printable(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < MAX_NAME_CHARS; i++) {
            char c = name.charAt(i);
            out.append(isToken(String.valueOf(c)) ? c : '?');
        }
        return out.toString();
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
