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
 * {@code POST .../rotations/{id}/finish}, optional: {@code {"override": true, "reason": "..."}} finishes without the
 * verification; the reason (1 to 500 characters, no control characters) is recorded on the rotation and audited.
 */
public record FinishBody(Boolean override,
        @Pattern(regexp = "^[^\\p{Cntrl}]{1,500}$", message = "must be 1 to 500 characters without control characters") String reason) {

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
