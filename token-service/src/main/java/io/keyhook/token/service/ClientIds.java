package io.keyhook.token.service;

import java.util.regex.Pattern;

import io.keyhook.core.crypto.SecretGenerator;

/**
 * What a {@code client_id} may look like, checked before anything else reads it: Keyhook's own ids ({@code cl_…},
 * {@code adm_…}) and an operator's bootstrap ids all fit. Anything else is refused with {@code invalid_client} and is
 * audited only as a short, escaped excerpt, so a hostile id (a NUL, 64 KB, a secret typed into the id field) can
 * neither break the audit writer nor fill the table nor leave a secret in it.
 */
public final class ClientIds {

    /** Longest id accepted. */
    public static final int MAX_LENGTH = 128;
    /** Characters of a malformed id kept in the audit log. */
    static final int EXCERPT = 24;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0," + (MAX_LENGTH - 1) + "}");

    private ClientIds() {
    }

    public static boolean wellFormed(String id) {
        return id != null && id.length() <= MAX_LENGTH && ID.matcher(id).matches() && !looksLikeSecret(id);
    }

    /** The id itself when it is well formed; else a capped excerpt with every unusual character escaped. */
    public static String forAudit(String id) {
        if (id == null) {
            return null;
        }
        if (looksLikeSecret(id)) {
            return "(a secret value, not recorded; " + id.length() + " chars)";
        }
        if (wellFormed(id)) {
            return id;
        }
        StringBuilder b = new StringBuilder("(malformed: \"");
        int shown = 0;
        for (int i = 0; i < id.length() && shown < EXCERPT; i++, shown++) {
            char c = id.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        b.append(shown < id.length() ? "\"… " : "\" ").append(id.length()).append(" chars)");
        return b.toString();
    }

    /** A generated secret pasted into the id field: never echoed, never audited. */
    static boolean looksLikeSecret(String id) {
        return id.startsWith(SecretGenerator.SECRET_PREFIX);
    }
}
