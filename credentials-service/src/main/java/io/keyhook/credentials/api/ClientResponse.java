package io.keyhook.credentials.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An API client; {@code secret} (with its value) appears only in the creation response. */
public record ClientResponse(String clientId, String environment, String name, String description, String status,
        Instant createdAt, Instant updatedAt, Instant disabledAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) SecretCreatedResponse secret) {
}
