package io.keyhook.credentials.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST .../clients}. */
public record ClientCreateRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @Size(max = 500) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String description) {
}
