package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An admin client; {@code secret} appears only in the creation response. */
public record AdminClientResponse(String clientId, String name, String description, String status, List<String> groups,
        List<String> environments, Instant createdAt, Instant updatedAt, Instant disabledAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) SecretCreatedResponse secret) {
}
