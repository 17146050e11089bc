package io.keyhook.console.view;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** An Environment and its Configuration (read-only here: integration tools never edit Configurations). */
public record EnvironmentItem(String id, String name, String configuration, Integer configurationVersion,
        List<String> dataTypes) {

    public static EnvironmentItem of(JsonNode n) {
        return new EnvironmentItem(Json.text(n, "id"), Json.text(n, "name"), Json.text(n, "configuration"),
                Json.integer(n, "configurationVersion"), Json.strings(n, "dataTypes"));
    }
}
