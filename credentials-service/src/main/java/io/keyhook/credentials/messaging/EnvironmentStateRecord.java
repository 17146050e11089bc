package io.keyhook.credentials.messaging;

import java.time.Instant;
import java.util.List;

/** The value of a {@code keyhook.environments} record (key = Environment id). */
public record EnvironmentStateRecord(int schemaVersion, String id, String name, Configuration configuration,
        Instant updatedAt) {

    public record Configuration(String name, int version, List<String> dataTypes) {
    }
}
