package io.keyhook.credentials.api;

import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code PUT /api/v1/configurations/{name}}: the full list of data types; each change bumps the version. */
public record ConfigurationRequest(
        @NotNull @NotEmpty @Size(max = 200) List<@NotNull @Pattern(regexp = Patterns.DATA_TYPE, message = "must be a data type name: lower-case letters, digits and _, starting with a letter") String> dataTypes) {
}
