package io.keyhook.credentials.api;

import jakarta.validation.constraints.Pattern;

/**
 * The optional body of {@code POST .../key-rotations/{id}/finish}: {@code {"override": true, "reason": "..."}} finishes
 * without passing checks; the reason (1 to 500 characters, no control characters) is recorded and audited.
 */
public record KeyRotationFinishRequest(Boolean override,
        @Pattern(regexp = "^[^\\p{Cntrl}]{0,500}$", message = "must be at most 500 characters without control characters") String reason) {
}
