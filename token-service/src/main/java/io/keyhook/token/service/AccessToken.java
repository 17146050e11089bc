package io.keyhook.token.service;

import java.time.Instant;
import java.util.List;

/**
 * The claims of an access token this service issues (RFC 9068). {@code environment} is null for admin tokens, whose
 * {@code groups} and {@code environments} come from the admin client.
 */
public record AccessToken(String jti, String clientId, String audience, String scope, String environment,
        String secretId, List<String> groups, List<String> environments, Instant issuedAt, Instant expiresAt) {
}
