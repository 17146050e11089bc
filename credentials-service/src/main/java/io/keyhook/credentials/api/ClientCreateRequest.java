package io.keyhook.credentials.api;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST .../clients}. {@code scopes} (issue 30) are checked against the scope grammar and the Environment's
 * Configuration by the service (400 with a code naming the bad scope); absent = any scope of the Configuration's data
 * types, as before.
 */
public record ClientCreateRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @Size(max = 500) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String description,
        @Schema(description = Patterns.SCOPES_DESCRIPTION) List<String> scopes,
        @Schema(description = Patterns.LIFETIME_DESCRIPTION) @Min(Patterns.MIN_TOKEN_LIFETIME) @Max(Patterns.MAX_TOKEN_LIFETIME) Long tokenLifetimeSeconds) {

    /** A client as before issue 30: any scope, the default lifetime. */
    public ClientCreateRequest(String name, String description) {
        this(name, description, null, null);
    }
}
