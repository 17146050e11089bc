package io.keyhook.token.client;

import java.time.Duration;
import java.util.Locale;

/**
 * How long a fetched JWKS may be kept, from the answer's {@code Cache-Control} (RFC 9111 section 5.2.2):
 * {@code no-store} or {@code no-cache} not at all, {@code max-age} at most that long, neither the default; never longer
 * than the cap. A malformed {@code max-age} counts as 0: the answer is used once and not kept.
 */
final class CacheControl {

    private CacheControl() {
    }

    static Duration keepFor(String header, Duration whenAbsent, Duration cap) {
        Duration keep = whenAbsent;
        if (header != null) {
            for (String raw : header.split(",")) {
                String d = raw.trim().toLowerCase(Locale.ROOT);
                if (d.equals("no-store") || d.equals("no-cache") || d.startsWith("no-cache=")) {
                    return Duration.ZERO;
                }
                if (d.startsWith("max-age")) {
                    keep = maxAge(d.substring("max-age".length()).trim());
                }
            }
        }
        return keep.compareTo(cap) > 0 ? cap : keep;
    }

    /** {@code = delta-seconds}, optionally quoted; anything else is 0. */
    private static Duration maxAge(String rest) {
        if (!rest.startsWith("=")) {
            return Duration.ZERO;
        }
        String v = rest.substring(1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Duration.ZERO;
        }
        // section 1.2.2: a delta too large to hold is taken as 2^31 s (then capped)
        return v.length() > 12 ? Duration.ofSeconds(1L << 31) : Duration.ofSeconds(Long.parseLong(v));
    }
}
