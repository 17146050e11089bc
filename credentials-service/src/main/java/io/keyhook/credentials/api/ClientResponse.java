package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API client; {@code secret} (with its value) appears only in the creation response of a client_secret client.
 * {@code authMethod} is {@code client_secret} or {@code private_key_jwt}; a private_key_jwt client also carries
 * {@code keys} and, when it registered a URL, {@code jwksUri}. {@code scopes} and {@code tokenLifetimeSeconds} are
 * always present, null when the client uses the defaults.
 */
public record ClientResponse(String clientId, String environment, String name, String description, String status,
        String authMethod, Instant createdAt, Instant updatedAt, Instant disabledAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String jwksUri,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<ClientKeyResponse> keys,
        @JsonInclude(JsonInclude.Include.NON_NULL) SecretCreatedResponse secret,
        @Schema(description = Patterns.SCOPES_DESCRIPTION, nullable = true) List<String> scopes,
        @Schema(description = Patterns.LIFETIME_DESCRIPTION, nullable = true) Long tokenLifetimeSeconds) {
}
