package io.keyhook.common.security;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.keyhook.core.error.ProblemException;

/**
 * Who is calling, and which Environments they may touch. Another Environment's objects answer 404, exactly as if they
 * did not exist, so nothing leaks across tenants.
 */
@RequestScoped
public class Caller {

    @Inject
    JsonWebToken jwt;

    /** The token subject, recorded as "who" in the audit trail. */
    public String subject() {
        String sub = jwt == null ? null : jwt.getSubject();
        return sub == null || sub.isBlank() ? "anonymous" : sub;
    }

    public Set<String> environments() {
        Object claim = jwt == null ? null : jwt.getClaim(Roles.ENVIRONMENTS_CLAIM);
        if (claim instanceof Collection<?> values) {
            // a JsonArray is a Collection too; its JsonString elements print quoted
            return values.stream().map(Object::toString).map(Caller::unquote).collect(Collectors.toUnmodifiableSet());
        }
        if (claim != null) {
            return Set.of(unquote(claim.toString()));
        }
        return Set.of();
    }

    public boolean mayAccess(String environmentId) {
        Set<String> allowed = environments();
        return allowed.contains(Roles.ALL_ENVIRONMENTS) || allowed.contains(environmentId);
    }

    /** Fails with the same 404 an unknown Environment gets. */
    public void requireEnvironment(String environmentId) {
        if (!mayAccess(environmentId)) {
            throw environmentNotFound(environmentId);
        }
    }

    /** The caller's own {@code Authorization} value, to ask another Keyhook service on their behalf (null if none). */
    public String bearer() {
        String raw = jwt == null ? null : jwt.getRawToken();
        return raw == null ? null : "Bearer " + raw;
    }

    public boolean hasRole(String role) {
        return jwt != null && jwt.getGroups() != null && jwt.getGroups().contains(role);
    }

    public static ProblemException environmentNotFound(String environmentId) {
        return ProblemException.notFound("environment_not_found", "Environment '" + environmentId + "' does not exist");
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
