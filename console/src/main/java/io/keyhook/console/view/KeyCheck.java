package io.keyhook.console.view;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** One check of a key rotation ({@code new_key_used}, {@code old_key_quiet}) as credentials-service reports it. */
public record KeyCheck(String name, boolean passed, String detail, String quietSince) {

    public static KeyCheck of(JsonNode n) {
        return new KeyCheck(Json.text(n, "name"), Json.bool(n, "passed"), Json.text(n, "detail"),
                Json.when(n, "quietSince"));
    }

    /** The checks of a rotation or of a refused finish's problem body ({@code checks}). */
    public static List<KeyCheck> listOf(JsonNode parent) {
        List<KeyCheck> out = new ArrayList<>();
        parent.path("checks").forEach(c -> out.add(of(c)));
        return out;
    }

    /** What the check proves, for people. */
    public String title() {
        return switch (name == null ? "" : name) {
        case "new_key_used" -> "Your App signed a token request with the new key";
        case "old_key_quiet" -> "Your App stopped using the old key";
        default -> name;
        };
    }
}
