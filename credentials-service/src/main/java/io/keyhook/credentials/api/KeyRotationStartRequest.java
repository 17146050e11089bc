package io.keyhook.credentials.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.credentials.service.JwksValidator;

/** Starts a key rotation: {@code newKey} (one public JWK with its kid) will replace the registered {@code oldKid}. */
public record KeyRotationStartRequest(
        @Schema(description = "kid of the registered key to replace") @NotNull @Pattern(regexp = JwksValidator.KID_REGEX, message = "must be a registered kid") String oldKid,
        @Schema(implementation = java.util.Map.class, type = SchemaType.OBJECT, description = "the new public key: one JWK with a kid, checked as a key of a jwks on create") @NotNull JsonNode newKey) {
}
