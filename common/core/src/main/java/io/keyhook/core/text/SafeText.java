package io.keyhook.core.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text that is safe to store in PostgreSQL and to put in a header or a log line. PostgreSQL's {@code text} refuses NUL
 * ({@code 0x00}) and an index entry refuses a few kilobytes, so a value from outside (an event field, a receiver's
 * answer) is either <em>checked</em> (refused with a reason naming what is wrong) or <em>sanitised</em> (made safe and
 * capped) before it reaches a statement. One bad value must never fail a statement that carries other tenants' rows.
 */
public final class SafeText {

    /** What replaces a NUL, a control character, an unpaired surrogate or an invalid UTF-8 sequence. */
    public static final char REPLACEMENT = '\uFFFD';

    private SafeText() {
    }

    /**
     * Why {@code value} is not a safe identifier-like field, or null when it is: at most {@code maxChars} characters,
     * no control character (C0, DEL, C1; NUL included), no unpaired surrogate (it has no UTF-8 form).
     */
    public static String problem(String value, int maxChars) {
        if (value.length() > maxChars) {
            return "longer than " + maxChars + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c)) {
                return c == 0 ? "contains a NUL character" : "contains a control character (U+" + hex(c) + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (not valid Unicode)";
            }
        }
        return null;
    }

    /**
     * {@code value} made safe to store: NUL and control characters other than tab, line feed and carriage return, and
     * unpaired surrogates, become {@link #REPLACEMENT}; cut to {@code maxChars} (never inside a surrogate pair). Null
     * stays null.
     */
    public static String sanitize(String value, int maxChars) {
        if (value == null) {
            return null;
        }
        int end = Math.min(value.length(), Math.max(0, maxChars));
        if (end > 0 && end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = null;
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1));
            boolean bad = !pair && (Character.isSurrogate(c) || isControl(c) && c != '\t' && c != '\n' && c != '\r');
            if (bad && out == null) {
                out = new StringBuilder(end).append(value, 0, i);
            }
            if (out != null) {
                out.append(bad ? REPLACEMENT : c);
                if (pair) {
                    out.append(value.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return out != null ? out.toString() : end == value.length() ? value : value.substring(0, end);
    }

    /**
     * The first {@code maxBytes} of {@code bytes} as safe text: invalid UTF-8 (and a sequence cut at the end) becomes
     * {@link #REPLACEMENT}, then {@link #sanitize}d. For bodies from outside, which may be anything.
     */
    public static String decode(byte[] bytes, int length, int maxBytes) {
        int n = Math.min(length, Math.max(0, maxBytes));
        String lenient = new String(bytes, 0, n, StandardCharsets.UTF_8);
        return sanitize(lenient, lenient.length());
    }

    /** {@code bytes} as UTF-8, or null when they are not valid UTF-8 (nothing is replaced silently). */
    public static String decodeStrict(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f;
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
