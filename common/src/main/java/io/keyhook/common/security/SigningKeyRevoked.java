package io.keyhook.common.security;

/**
 * A CDI event: token-service revoked signing key {@code kid} (read from {@code keyhook.token-revocations}). Every token
 * it signed is refused; token-service replicas stop signing with it and drop it from the JWKS.
 */
public record SigningKeyRevoked(String kid) {
}
