package io.keyhook.dispatcher.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.keyhook.core.error.ProblemException;

/**
 * The delivery log's page cursor: opaque to callers (base64url of a versioned position), so its form can change. Only
 * what {@link #of} made is accepted; anything else (forged, oversized, a number past a long) is 400
 * {@code invalid_cursor}, never a server error.
 */
final class DeliveryCursor {

    static final int MAX_CHARS = 64;
    private static final String PREFIX = "d1:";

    private DeliveryCursor() {
    }

    static String of(long sequence) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + sequence).getBytes(StandardCharsets.US_ASCII));
    }

    /** The sequence below which the next page starts, or null when absent. */
    static Long parse(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        if (cursor.length() <= MAX_CHARS) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
                if (s.startsWith(PREFIX) && s.length() > PREFIX.length() && s.length() <= PREFIX.length() + 19
                        && s.substring(PREFIX.length()).chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    return Long.parseLong(s.substring(PREFIX.length()));
                }
            } catch (IllegalArgumentException e) {
                // not base64url, or past a long: answered below
            }
        }
        throw ProblemException.badRequest("invalid_cursor", "cursor must be a value from nextCursor");
    }
}
