package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An Environment with the Configuration published to it (read-only for integration admins). {@code tokenSigningAlg}:
 * the JWS algorithm of its clients' access tokens ({@code EdDSA}, {@code ES256} or {@code RS256}), null when it uses
 * token-service's default ({@code keyhook.token.signing.algorithm}). {@code secretMaxAgeDays}: secrets older than that
 * are flagged and expire {@code secretExpiryGraceDays} later (null: no maximum).
 */
public record EnvironmentResponse(String id, String name, String configuration, int configurationVersion,
        List<String> dataTypes, Instant createdAt, Instant updatedAt, @Schema(nullable = true, enumeration = {
                "EdDSA", "ES256",
                "RS256" }, description = "JWS algorithm of this Environment's access tokens; null = token-service's default") String tokenSigningAlg,
        Integer secretMaxAgeDays, int secretExpiryGraceDays){
}
