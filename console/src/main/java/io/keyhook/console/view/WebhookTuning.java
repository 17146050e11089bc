package io.keyhook.console.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The webhook form's purpose and tuning as typed: {@code timeoutMs}, {@code maxInFlight}, {@code rateLimitPerSecond}
 * (blank = the operator's default) and custom {@code headers} as name/value rows. The form keeps what was typed, so a
 * refused value comes back as it was; webhook-config-service decides what is valid.
 */
public record WebhookTuning(String purpose, String timeoutMs, String maxInFlight, String rateLimitPerSecond,
        List<Header> headers) {

    /** Rows shown beyond the set headers, so one can be added without the script. */
    static final int BLANK_ROWS = 2;

    /** One header row of the form. */
    public record Header(int index, String name, String value) {

        /** Its number as people count, for the field labels. */
        public int number() {
            return index + 1;
        }
    }

    public WebhookTuning {
        purpose = "operational".equals(purpose) ? "operational" : "data";
        timeoutMs = timeoutMs == null ? "" : timeoutMs;
        maxInFlight = maxInFlight == null ? "" : maxInFlight;
        rateLimitPerSecond = rateLimitPerSecond == null ? "" : rateLimitPerSecond;
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public static WebhookTuning blank() {
        return new WebhookTuning("data", "", "", "", rows(List.of(), List.of()));
    }

    /** As the webhook is configured. */
    public static WebhookTuning of(WebhookItem w) {
        return new WebhookTuning(w.purpose(), text(w.timeoutMs()), text(w.maxInFlight()), text(w.rateLimitPerSecond()),
                rows(List.copyOf(w.headers().keySet()), List.copyOf(w.headers().values())));
    }

    /** As a form sent it (names and values pair up by position). */
    public static WebhookTuning of(String purpose, String timeoutMs, String maxInFlight, String rateLimitPerSecond,
            List<String> headerNames, List<String> headerValues) {
        return new WebhookTuning(purpose, timeoutMs, maxInFlight, rateLimitPerSecond,
                rows(headerNames == null ? List.of() : headerNames, headerValues == null ? List.of() : headerValues));
    }

    /** As a refused form left it for the page it came back to. */
    public static WebhookTuning of(Flash f, String purpose) {
        return of(f.value("purpose", purpose), f.value("timeoutMs", ""), f.value("maxInFlight", ""),
                f.value("rateLimitPerSecond", ""), f.values("headerName", List.of()),
                f.values("headerValue", List.of()));
    }

    public boolean operational() {
        return "operational".equals(purpose);
    }

    /**
     * The tuning fields of a create ({@code current} null) or PATCH body. A create leaves out what is blank (absent is
     * the default); a PATCH sends what differs from {@code current}, a field emptied as null (back to the default), and
     * leaves out what did not change (PATCH: absent = unchanged), so a save that touches no tuning sends none.
     */
    public Map<String, Object> requestFields(WebhookTuning current) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "timeoutMs", number(timeoutMs), current == null ? null : number(current.timeoutMs), current);
        put(out, "maxInFlight", number(maxInFlight), current == null ? null : number(current.maxInFlight), current);
        put(out, "rateLimitPerSecond", number(rateLimitPerSecond),
                current == null ? null : number(current.rateLimitPerSecond), current);
        Map<String, String> h = headerMap();
        Map<String, String> was = current == null ? Map.of() : current.headerMap();
        put(out, "headers", h.isEmpty() ? null : h, was.isEmpty() ? null : was, current);
        return out;
    }

    private static void put(Map<String, Object> out, String field, Object value, Object was, WebhookTuning current) {
        if (current == null ? value != null : !Objects.equals(value, was)) {
            out.put(field, value);
        }
    }

    /** The rows with a name, in order; a blank name drops its row. */
    public Map<String, String> headerMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Header h : headers) {
            if (!h.name().isBlank()) {
                out.put(h.name().strip(), h.value());
            }
        }
        return out;
    }

    /**
     * A header name given twice (names compare ignoring case, as in HTTP), or null: a JSON object cannot carry both, so
     * the form says so instead of dropping one.
     */
    public String duplicateHeader() {
        List<String> seen = new ArrayList<>();
        for (Header h : headers) {
            String n = h.name().strip().toLowerCase(Locale.ROOT);
            if (!n.isEmpty()) {
                if (seen.contains(n)) {
                    return h.name().strip();
                }
                seen.add(n);
            }
        }
        return null;
    }

    /** What the form sent, for {@link Flash#values()}. */
    public void putValues(Map<String, List<String>> values) {
        values.put("purpose", List.of(purpose));
        values.put("timeoutMs", List.of(timeoutMs));
        values.put("maxInFlight", List.of(maxInFlight));
        values.put("rateLimitPerSecond", List.of(rateLimitPerSecond));
        values.put("headerName", headers.stream().map(Header::name).toList());
        values.put("headerValue", headers.stream().map(Header::value).toList());
    }

    /** A whole number as a number; other text as typed, for the API to refuse by name; blank as null. */
    private static Object number(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return t;
        }
    }

    private static List<Header> rows(List<String> names, List<String> values) {
        List<Header> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) == null ? "" : names.get(i);
            String value = i < values.size() && values.get(i) != null ? values.get(i) : "";
            if (!name.isBlank() || !value.isBlank()) {
                out.add(new Header(out.size(), name, value));
            }
        }
        for (int i = 0; i < BLANK_ROWS; i++) {
            out.add(new Header(out.size(), "", ""));
        }
        return out;
    }

    private static String text(Integer n) {
        return n == null ? "" : n.toString();
    }
}
