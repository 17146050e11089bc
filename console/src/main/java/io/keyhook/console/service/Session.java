package io.keyhook.console.service;

import java.time.Instant;
import java.util.List;

/**
 * A signed-in admin, kept server-side: the browser holds only the random session id. Ends when the token expires, on
 * sign-out, or after the idle timeout.
 */
public record Session(String id, String token, String clientId, List<String> groups, List<String> environments,
        Instant expiresAt, String csrf) {

    /** Whether the token's {@code environments} claim lets the admin touch {@code env}. */
    public boolean mayTouch(String env) {
        return environments.contains("*") || environments.contains(env);
    }

    public boolean operator() {
        return groups.contains("platform-operator");
    }
}
