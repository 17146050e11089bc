package io.keyhook.credentials.api;

import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/configurations}. */
public record ConfigurationCreateRequest(
        @NotNull @Pattern(regexp = Patterns.CONFIGURATION_NAME, message = "must be 1-63 lower-case letters, digits or -") String name,
        @NotNull @NotEmpty @Size(max = 200) List<@NotNull @Pattern(regexp = Patterns.DATA_TYPE, message = "must be a data type name: lower-case letters, digits and _, starting with a letter") String> dataTypes) {
}
