package io.keyhook.core.scope;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.keyhook.core.text.SafeText;

/**
 * The rules for a client's allowed scopes as an admin registers them: each one is a {@link Scope} whose data type (if
 * it names one) the Environment's Configuration offers, none twice, at most {@link #MAX_SCOPES}. The first broken rule
 * is reported with a stable code and the scope that broke it.
 */
public final class ScopeRegistration {

    /** Most scopes one client may be allowed: every v1/v2 form of a few dozen data types fits. */
    public static final int MAX_SCOPES = 200;

    /** Not a scope of the grammar (includes control characters, empty and too long). */
    public static final String MALFORMED = "scope_malformed";
    /** A {@code system/<dataType>.…} scope whose data type the Configuration does not offer. */
    public static final String UNKNOWN_DATA_TYPE = "scope_unknown_data_type";
    /** The same scope written twice. */
    public static final String DUPLICATE = "scope_duplicate";
    /** More than {@link #MAX_SCOPES}. */
    public static final String TOO_MANY = "too_many_scopes";

    /** A broken rule: its code, the offending scope (safe to echo: sanitised and capped) and a sentence. */
    public record Violation(String code, String scope, String detail) {
    }

    private ScopeRegistration() {
    }

    /** The first rule {@code scopes} breaks for an Environment offering {@code dataTypes}, or null when none. */
    public static Violation check(List<String> scopes, Collection<String> dataTypes) {
        if (scopes.size() > MAX_SCOPES) {
            return new Violation(TOO_MANY, null,
                    "a client may be allowed at most " + MAX_SCOPES + " scopes, not " + scopes.size());
        }
        Set<String> seen = new HashSet<>();
        for (String text : scopes) {
            String shown = SafeText.sanitize(text, Scope.MAX_LENGTH + 1);
            Scope s = Scope.parse(text);
            if (s == null) {
                return new Violation(MALFORMED, shown, "'" + shown + "' is not a scope: use read, write,"
                        + " system/<dataType>.read|write|<cruds> or system/*.read|write|<cruds>");
            }
            if (!s.anyDataType() && !dataTypes.contains(s.resource())) {
                return new Violation(UNKNOWN_DATA_TYPE, shown, "'" + shown + "' names data type '" + s.resource()
                        + "', which the Configuration does not offer");
            }
            if (!seen.add(text)) {
                return new Violation(DUPLICATE, shown, "'" + shown + "' is listed twice");
            }
        }
        return null;
    }
}
