package io.keyhook.dispatcher.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

import io.keyhook.dispatcher.persistence.GapEntries;

/**
 * Where a gap-manifest page ends: the last entry's (last event time, record), as opaque base64url text. Parsing
 * anything else, or anything longer than {@link #MAX_LENGTH}, gives null (the API answers 400 {@code invalid_cursor}).
 */
public record GapCursor(Instant lastEventAt, String orderingKey) {

    /** Longer is not one of ours (a record's subject is at most a few hundred characters). */
    public static final int MAX_LENGTH = 2048;

    static GapCursor after(GapEntries.Entry e) {
        return new GapCursor(e.lastEventAt(), e.orderingKey());
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((lastEventAt + "\n" + orderingKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor {@code text} stands for, or null when it is not one this API made. */
    public static GapCursor parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int nl = plain.indexOf('\n');
            if (nl < 0 || plain.indexOf('\u0000') >= 0) {
                return null;
            }
            return new GapCursor(Instant.parse(plain.substring(0, nl)), plain.substring(nl + 1));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return null;
        }
    }
}
