package io.keyhook.credentials.api;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code PATCH /api/v1/admin-clients/{id}}; absent fields stay as they are. */
public record AdminClientPatchRequest(
        @Size(min = 1, max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @Size(max = 500) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String description,
        @Size(min = 1, max = 3) List<@NotNull @Pattern(regexp = Patterns.GROUP, message = "must be platform-operator, integration-admin or keyhook-service") String> groups,
        @Size(min = 1, max = 100) List<@NotNull @Pattern(regexp = Patterns.ENVIRONMENT_ID_OR_ALL, message = "must be an Environment id or *") String> environments) {
}
