package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

/**
 * An Environment with the Configuration published to it (read-only for integration admins). {@code secretMaxAgeDays}:
 * secrets older than that are flagged and expire {@code secretExpiryGraceDays} later (null: no maximum).
 */
public record EnvironmentResponse(String id, String name, String configuration, int configurationVersion,
        List<String> dataTypes, Instant createdAt, Instant updatedAt, Integer secretMaxAgeDays,
        int secretExpiryGraceDays) {
}
