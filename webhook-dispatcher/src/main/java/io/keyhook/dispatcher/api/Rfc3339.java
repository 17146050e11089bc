package io.keyhook.dispatcher.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import io.keyhook.core.error.ProblemException;

/** RFC 3339 date-times in request bodies: {@code Z} or a numeric offset; problem+json naming the field otherwise. */
final class Rfc3339 {

    private static final int MAX_CHARS = 64;

    private Rfc3339() {
    }

    /** The instant, or null when absent and not required; 400 {@code <field>_required} / {@code invalid_timestamp}. */
    static Instant parse(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ProblemException.badRequest(field + "_required",
                        field + " is required: an RFC 3339 date-time, e.g. 2026-01-31T12:00:00Z");
            }
            return null;
        }
        if (value.length() <= MAX_CHARS) {
            try {
                // RFC 3339 requires the offset (Z or ±hh:mm); ISO_OFFSET_DATE_TIME accepts exactly that shape
                return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // answered below
            }
        }
        throw ProblemException.badRequest("invalid_timestamp",
                field + " must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T12:00:00Z");
    }
}
