package io.keyhook.common.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.keyhook.core.error.ProblemException;

/** Parsing of query parameters with problem+json errors that name the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    /** An ISO-8601 instant, or null when absent; 400 {@code invalid_timestamp} when malformed. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("invalid_timestamp",
                    name + " must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
        }
    }

    /**
     * A page cursor (a row id from an earlier page's {@code nextCursor}), or null when absent; 400
     * {@code invalid_cursor} for anything else, a number beyond a long included.
     */
    public static Long cursor(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("invalid_cursor", "cursor must be a value from nextCursor");
        }
    }

    /**
     * A whole number between {@code min} and {@code max}, or {@code absent} when the parameter is absent; 400
     * {@code invalid_query_parameter} naming it otherwise (a JAX-RS {@code int} parameter answers 404 for "x").
     */
    public static int integer(String name, String value, int absent, int min, int max) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("invalid_query_parameter",
                name + " must be a whole number from " + min + " to " + max);
    }
}
