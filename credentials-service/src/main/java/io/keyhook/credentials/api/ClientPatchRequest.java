package io.keyhook.credentials.api;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code PATCH .../clients/{clientId}}: rename or describe; absent fields stay as they are. */
public record ClientPatchRequest(
        @Size(min = 1, max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @Size(max = 500) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String description) {
}
