package io.keyhook.credentials.api;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST .../clients}. {@code authMethod} {@code client_secret} (the default) gets a first secret;
 * {@code private_key_jwt} gets none and needs exactly one of {@code jwks} and {@code jwksUri}. {@code scopes} (issue
 * 30) are checked against the scope grammar and the Environment's Configuration by the service (400 with a code naming
 * the bad scope); absent = any scope of the Configuration's data types, as before.
 */
public record ClientCreateRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String name,
        @Size(max = 500) @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters") String description,
        @Schema(description = "client_secret (default) or private_key_jwt", enumeration = {
                "client_secret", "private_key_jwt" }) String authMethod,
        @Schema(description = "private_key_jwt: the client's public keys, a JWKS {\"keys\": [...]} of 1 to 10 RSA (2048+ bits), EC (P-256, P-384, P-521) or Ed25519 signing keys, each with a unique kid") JsonNode jwks,
        @Schema(description = "private_key_jwt: an https URL token-service fetches the client's JWKS from (checked like webhook destinations)") String jwksUri,
        @Schema(description = Patterns.SCOPES_DESCRIPTION) List<String> scopes,
        @Schema(description = Patterns.LIFETIME_DESCRIPTION) @Min(Patterns.MIN_TOKEN_LIFETIME) @Max(Patterns.MAX_TOKEN_LIFETIME) Long tokenLifetimeSeconds){

    /** A client as before issue 30: a secret, any scope, the default lifetime. */
    public ClientCreateRequest(String name, String description) {
        this(name, description, null, null, null, null, null);
    }
}
