package io.keyhook.credentials.api;

import java.time.Instant;

public record AuditEntryResponse(long id, Instant occurredAt, String actor, String action, String environment,
        String targetType, String targetId, String result, String detail) {
}
