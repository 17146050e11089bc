package io.keyhook.core.net;

import java.util.Locale;

/**
 * The one forwarding header a deployment believes (configuration {@code keyhook.http.forwarded-header}): its proxies
 * write that one, so the other carries only what clients wrote and is ignored.
 */
public enum ForwardingHeader {

    /** {@code X-Forwarded-For}: a comma-separated list of addresses, each proxy appending the address it saw. */
    X_FORWARDED_FOR("X-Forwarded-For"),
    /** RFC 7239 {@code Forwarded}: elements of {@code for=...} pairs, each proxy appending one. */
    FORWARDED("Forwarded");

    private final String headerName;

    ForwardingHeader(String headerName) {
        this.headerName = headerName;
    }

    public String headerName() {
        return headerName;
    }

    /** From its configuration value, {@code x-forwarded-for} or {@code forwarded} (any case). */
    public static ForwardingHeader fromConfig(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
        case "x-forwarded-for" -> X_FORWARDED_FOR;
        case "forwarded" -> FORWARDED;
        default -> throw new IllegalArgumentException(
                "forwarded-header must be x-forwarded-for or forwarded, not '" + value + "'");
        };
    }
}
