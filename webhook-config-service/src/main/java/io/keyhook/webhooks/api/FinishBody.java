package io.keyhook.webhooks.api;

import java.io.IOException;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.core.error.ProblemException;

/**
 * The optional body of a verified step ({@code POST .../rotations/{id}/finish}, {@code POST
 * .../signing-keys/{keyId}/retire}): {@code {"override": true, "reason": "..."}} goes ahead without the verification;
 * the reason (1 to 500 characters, no control characters) is recorded and audited.
 */
public record FinishBody(Boolean override,
        @Pattern(regexp = "^[^\\p{Cntrl}]{1,500}$", message = "must be 1 to 500 characters without control characters") String reason) {

    /** The override's reason, stripped; null without an override; 422 {@code override_reason_required} without one. */
    static String overrideReason(FinishBody body) {
        if (body == null || !Boolean.TRUE.equals(body.override())) {
            return null;
        }
        if (body.reason() == null || body.reason().isBlank()) {
            throw new ProblemException(422, "override_reason_required", "Unprocessable request",
                    "Going ahead without verification needs a reason: {\"override\": true, \"reason\": \"...\"}");
        }
        return body.reason().strip();
    }

    /** The body, or null when none was sent; 400 when it is not JSON, 422 when a field is invalid. */
    static FinishBody read(ObjectMapper json, Validator validator, byte[] raw) {
        if (raw == null || raw.length == 0) {
            return null;
        }
        FinishBody body;
        try {
            body = json.readValue(raw, FinishBody.class);
        } catch (IOException e) {
            throw new ProblemException(400, "malformed_body", "Bad request",
                    "The body must be JSON such as {\"override\": true, \"reason\": \"...\"}, or nothing");
        }
        Set<ConstraintViolation<FinishBody>> violations = body == null ? Set.of() : validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }
}
