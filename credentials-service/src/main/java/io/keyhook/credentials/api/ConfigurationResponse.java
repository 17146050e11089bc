package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

public record ConfigurationResponse(String name, int version, List<String> dataTypes, Instant createdAt,
        Instant updatedAt) {
}
