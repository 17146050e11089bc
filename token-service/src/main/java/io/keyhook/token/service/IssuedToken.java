package io.keyhook.token.service;

import java.time.Instant;

/** A signed access token and what the response tells about it. */
public record IssuedToken(String accessToken, long expiresIn, Instant expiresAt, String scope) {
}
