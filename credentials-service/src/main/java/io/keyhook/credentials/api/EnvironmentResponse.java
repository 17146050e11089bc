package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

/** An Environment with the Configuration published to it (read-only for integration admins). */
public record EnvironmentResponse(String id, String name, String configuration, int configurationVersion,
        List<String> dataTypes, Instant createdAt, Instant updatedAt) {
}
