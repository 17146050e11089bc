package io.keyhook.credentials.api;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code PATCH /api/v1/environments/{env}}: rename, or publish another Configuration. */
public record EnvironmentPatchRequest(
        @Size(min = 1, max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @Pattern(regexp = Patterns.CONFIGURATION_NAME, message = "must name a Configuration") String configuration) {
}
