package io.keyhook.credentials.api;

import java.time.Instant;

/** The one response that carries a secret's value. It is never shown again. */
public record SecretCreatedResponse(String id, String value, String status, Instant createdAt) {
}
