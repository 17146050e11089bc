package io.keyhook.common.client;

import java.time.Instant;

import io.smallrye.mutiny.Uni;

/**
 * How this service gets a new bearer token (role {@code keyhook-service}) for its calls to other Keyhook services: from
 * token-service through quarkus-oidc-client, or, in token-service, signed by itself. {@link ServiceToken} holds, renews
 * and drops it.
 */
public interface ServiceTokenIssuer {

    /** A token and when it expires. */
    record Issued(String accessToken, Instant expiresAt) {
    }

    /** A new token, never a cached one. */
    Uni<Issued> issue();
}
