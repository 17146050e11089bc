package io.keyhook.token.service;

/** Just enough JSON writing for token payloads, with correct string escaping (no reflection, no tree). */
public final class Json {

    private Json() {
    }

    /** Appends {@code s} as a JSON string literal. */
    public static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            }
        }
        return out.append('"');
    }

    /** Appends a JSON array of strings. */
    public static StringBuilder array(StringBuilder out, Iterable<String> items) {
        out.append('[');
        boolean first = true;
        for (String item : items) {
            if (!first) {
                out.append(',');
            }
            quote(out, item);
            first = false;
        }
        return out.append(']');
    }
}
