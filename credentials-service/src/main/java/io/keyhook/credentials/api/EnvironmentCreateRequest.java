package io.keyhook.credentials.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/environments}. */
public record EnvironmentCreateRequest(
        @NotNull @Pattern(regexp = Patterns.ENVIRONMENT_ID, message = "must be 1-63 lower-case letters, digits or -") String id,
        @NotBlank @Size(max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @NotNull @Pattern(regexp = Patterns.CONFIGURATION_NAME, message = "must name a Configuration") String configuration) {
}
