package io.keyhook.core.scope;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one client may ask for, prepared once (when its record arrives) so that granting costs no parsing of the allowed
 * list per request. A requested scope is allowed when it is one of the allowed scopes as written, or when it is a
 * {@link Scope} whose permissions the allowed scopes on its data type together cover (those on {@code *} count for
 * every data type): {@code system/*.read} allows {@code system/patients.read} and {@code system/patients.rs};
 * {@code system/patients.cruds} allows {@code system/patients.r}; {@code read} allows {@code system/patients.s};
 * {@code system/patients.read} + {@code system/patients.write} allow {@code system/patients.cruds}.
 */
public final class AllowedScopes {

    private final List<String> all;
    private final String joined;
    private final Set<String> exact;
    private final int anyPermissions;
    private final Map<String, Integer> permissionsByDataType;

    private AllowedScopes(List<String> all) {
        this.all = List.copyOf(all);
        this.joined = String.join(" ", all);
        this.exact = Set.copyOf(new HashSet<>(all));
        int any = 0;
        Map<String, Integer> byType = new HashMap<>();
        for (String text : all) {
            // a configured scope outside the grammar (keyhook.token.api-scopes) is allowed as written only
            Scope s = Scope.parse(text);
            if (s == null) {
                continue;
            }
            if (s.anyDataType()) {
                any |= s.permissions();
            } else {
                byType.merge(s.resource(), s.permissions(), (a, b) -> a | b);
            }
        }
        this.anyPermissions = any;
        this.permissionsByDataType = Map.copyOf(byType);
    }

    public static AllowedScopes of(List<String> scopes) {
        return new AllowedScopes(scopes);
    }

    /** Every allowed scope as registered: what a request without {@code scope} is granted. */
    public List<String> all() {
        return all;
    }

    /** {@link #all()} joined with spaces: the {@code scope} of a token issued without asking. */
    public String joined() {
        return joined;
    }

    /** Whether {@code requested} (one scope token) may be granted. */
    public boolean allows(String requested) {
        if (exact.contains(requested)) {
            return true;
        }
        Scope s = Scope.parse(requested);
        if (s == null) {
            return false;
        }
        int covered = anyPermissions;
        if (!s.anyDataType()) {
            covered |= permissionsByDataType.getOrDefault(s.resource(), 0);
        }
        return (s.permissions() & ~covered) == 0;
    }
}
