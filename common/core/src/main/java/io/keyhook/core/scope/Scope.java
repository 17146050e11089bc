package io.keyhook.core.scope;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.keyhook.core.id.NotificationTypes;

/**
 * One scope of an API client, parsed: the grammar declared once for credentials-service (registering a client's scopes)
 * and token-service (granting them).
 * <p>
 * Accepted forms, and the permissions each stands for (SMART App Launch 2, section "Scopes"; v1 {@code read} is v2
 * {@code rs}, v1 {@code write} is v2 {@code cud}):
 * <ul>
 * <li>{@code read} / {@code write}: Keyhook's own scopes, every data type of the Environment: {@code rs} / {@code cud}
 * on {@code *};</li>
 * <li>{@code system/<dataType>.read} / {@code .write}: SMART v1 on one data type;</li>
 * <li>{@code system/<dataType>.<v2>}: SMART v2, where {@code <v2>} is a non-empty subset of {@code c r u d s} written
 * in that order ({@code rs}, {@code cud}, {@code cruds}, {@code s});</li>
 * <li>{@code system/*.<read|write|v2>}: the same on every data type.</li>
 * </ul>
 * A data type is the Configuration's grammar ({@link NotificationTypes#DATA_TYPE_BODY}). SMART's {@code patient/} and
 * {@code user/} contexts, v1 {@code .*} and v2 query parameters are not part of it: a backend client acts as the
 * system.
 */
public record Scope(String text, String resource, int permissions) {

    /** Longest scope accepted: {@code system/} + the longest data type + {@code .cruds}, with room to spare. */
    public static final int MAX_LENGTH = 100;
    /** The resource of Keyhook's {@code read}/{@code write} and of {@code system/*.…}: every data type. */
    public static final String ANY = "*";

    public static final int C = 1;
    public static final int R = 2;
    public static final int U = 4;
    public static final int D = 8;
    public static final int S = 16;
    /** v1 {@code read}, Keyhook's {@code read}: read and search. */
    public static final int READ = R | S;
    /** v1 {@code write}, Keyhook's {@code write}: create, update, delete. */
    public static final int WRITE = C | U | D;

    private static final Pattern SMART = Pattern
            .compile("system/(\\*|" + NotificationTypes.DATA_TYPE_BODY + ")\\.(read|write|c?r?u?d?s?)");

    /** The scope {@code text} stands for, or null when it is not one (null, too long, unknown form). */
    public static Scope parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        if (text.equals("read")) {
            return new Scope(text, ANY, READ);
        }
        if (text.equals("write")) {
            return new Scope(text, ANY, WRITE);
        }
        Matcher m = SMART.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int permissions = permissions(m.group(2));
        return permissions == 0 ? null : new Scope(text, m.group(1), permissions);
    }

    /** Whether this scope allows at least what {@code other} asks: same data type (or every one), more permissions. */
    public boolean covers(Scope other) {
        return (ANY.equals(resource) || resource.equals(other.resource)) && (other.permissions & ~permissions) == 0;
    }

    /** Whether the scope names every data type ({@code read}, {@code write}, {@code system/*.…}). */
    public boolean anyDataType() {
        return ANY.equals(resource);
    }

    private static int permissions(String p) {
        if (p.equals("read")) {
            return READ;
        }
        if (p.equals("write")) {
            return WRITE;
        }
        int bits = 0;
        for (int i = 0; i < p.length(); i++) {
            bits |= switch (p.charAt(i)) {
            case 'c' -> C;
            case 'r' -> R;
            case 'u' -> U;
            case 'd' -> D;
            default -> S;
            };
        }
        return bits;
    }
}
