package io.keyhook.credentials.api;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code PATCH .../clients/{clientId}}: rename, describe, change scopes or token lifetime; absent fields stay. */
public record ClientPatchRequest(
        @Size(min = 1, max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @Size(max = 500) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String description,
        @Schema(description = "Replaces the client's allowed scopes; the rules are those of create. Absent or null: unchanged.") List<String> scopes,
        @Schema(description = "Replaces the client's token lifetime in seconds (60 to 86400). Absent or null: unchanged.") @Min(Patterns.MIN_TOKEN_LIFETIME) @Max(Patterns.MAX_TOKEN_LIFETIME) Long tokenLifetimeSeconds) {

    /** A rename or description change only. */
    public ClientPatchRequest(String name, String description) {
        this(name, description, null, null);
    }
}
