package io.keyhook.dispatcher.messaging;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.OperationalEvent;

/**
 * Reads one record of {@code keyhook.operational-events} (issue 31), or says why it cannot: the topic is written by
 * Keyhook's own services, but a record that is not an operational event we know (too large, not JSON, an unknown type,
 * no id or Environment, control characters in an id) must be skipped, never crash the consumer or block the topic.
 */
public final class OperationalEventParser {

    static final int MAX_ID = 200;

    private final ObjectMapper json;
    private final int maxBytes;

    public OperationalEventParser(ObjectMapper json, int maxBytes) {
        this.json = json;
        this.maxBytes = maxBytes;
    }

    /** The event, or null and {@code problem} saying why not. */
    public record Result(OperationalEvent event, String problem) {
    }

    public Result parse(byte[] value) {
        if (value == null) {
            return new Result(null, "tombstone");
        }
        if (value.length > maxBytes) {
            return new Result(null, "larger than " + maxBytes + " bytes");
        }
        OperationalEvent e;
        try {
            e = json.readValue(value, OperationalEvent.class);
        } catch (IOException | RuntimeException ex) {
            return new Result(null, "not an operational event (" + ex.getClass().getSimpleName() + ")");
        }
        if (e == null || !OperationalEvent.TYPES.contains(e.type())) {
            return new Result(null, "unknown type");
        }
        if (!plain(e.id()) || !plain(e.environment()) || e.subject() != null && !plain(e.subject())) {
            return new Result(null, "missing or unusable id, environment or subject");
        }
        return new Result(e, null);
    }

    /** Non-blank, at most {@link #MAX_ID} characters, no control character (they become keys and log lines). */
    static boolean plain(String s) {
        if (s == null || s.isBlank() || s.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\uFFFD') {
                return false;
            }
        }
        return true;
    }
}
