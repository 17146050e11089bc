package io.keyhook.console.view;

import java.util.List;
import java.util.Map;

/**
 * What a failed POST hands to the page it redirects to (post/redirect/get, so the browser never stays on an action's
 * URL): the error, the errors per field, and the values the form was sent with, to show them again.
 */
public record Flash(String error, Map<String, String> fieldErrors, Map<String, List<String>> values) {

    public Flash {
        fieldErrors = fieldErrors == null ? Map.of() : Map.copyOf(fieldErrors);
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    /** The first value sent for {@code field}, or {@code fallback}. */
    public String value(String field, String fallback) {
        List<String> v = values.get(field);
        return v == null || v.isEmpty() || v.get(0) == null ? fallback : v.get(0);
    }

    /** Every value sent for {@code field} (checkboxes), or {@code fallback}. */
    public List<String> values(String field, List<String> fallback) {
        List<String> v = values.get(field);
        return v == null ? fallback : v;
    }
}
