package io.keyhook.console.view;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the services' JSON into view records. */
final class Json {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Json() {
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static boolean bool(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.asBoolean();
    }

    static Integer integer(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }

    static List<String> strings(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        List<String> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            v.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    static List<JsonNode> nodes(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            v.forEach(out::add);
        }
        return out;
    }

    /** An instant as people read it (UTC), or "" when absent. */
    static String when(JsonNode n, String field) {
        String s = text(n, field);
        if (s == null) {
            return "";
        }
        try {
            return SHOWN.format(Instant.parse(s));
        } catch (RuntimeException e) {
            return s;
        }
    }
}
