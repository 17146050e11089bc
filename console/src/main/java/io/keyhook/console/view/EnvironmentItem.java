package io.keyhook.console.view;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** An Environment and its Configuration (read-only here: integration tools never edit Configurations). */
public record EnvironmentItem(String id, String name, String configuration, Integer configurationVersion,
        List<String> dataTypes) {

    public static EnvironmentItem of(JsonNode n) {
        return new EnvironmentItem(Json.text(n, "id"), Json.text(n, "name"), Json.text(n, "configuration"),
                Json.integer(n, "configurationVersion"), Json.strings(n, "dataTypes"));
    }

    /** Whether the picker's search {@code query} is in its id, name or Configuration (ignoring case); blank: all. */
    public boolean matches(String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String q = query.strip().toLowerCase(Locale.ROOT);
        return contains(id, q) || contains(name, q) || contains(configuration, q);
    }

    private static boolean contains(String value, String q) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(q);
    }
}
