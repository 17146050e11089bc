package io.keyhook.credentials.api;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code PATCH .../clients/{clientId}}: rename, describe, change scopes or token lifetime, or replace a private_key_jwt
 * client's keys ({@code jwks} or {@code jwksUri}, which replaces the other); absent fields stay as they are.
 * {@code authMethod} cannot change: a value other than the client's is a 409.
 */
public record ClientPatchRequest(
        @Size(min = 1, max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @Size(max = 500) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String description,
        @Schema(description = "must equal the client's own if given: the method cannot be switched (409 auth_method_immutable)") String authMethod,
        @Schema(description = "private_key_jwt: replaces the client's keys with this JWKS (checked as on create)") JsonNode jwks,
        @Schema(description = "private_key_jwt: replaces the client's keys with this JWKS URL (checked as on create)") String jwksUri,
        @Schema(description = "Replaces the client's allowed scopes; the rules are those of create. Absent or null: unchanged.") List<String> scopes,
        @Schema(description = "Replaces the client's token lifetime in seconds (60 to 86400). Absent or null: unchanged.") @Min(Patterns.MIN_TOKEN_LIFETIME) @Max(Patterns.MAX_TOKEN_LIFETIME) Long tokenLifetimeSeconds) {

    /** A rename or description change only. */
    public ClientPatchRequest(String name, String description) {
        this(name, description, null, null, null, null, null);
    }
}
