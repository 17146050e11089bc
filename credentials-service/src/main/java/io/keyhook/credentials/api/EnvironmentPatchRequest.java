package io.keyhook.credentials.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code PATCH /api/v1/environments/{env}}: rename, publish another Configuration, choose the access-token algorithm of
 * its clients, or set the secrets' maximum age ({@code secretMaxAgeDays}, 1 to 3650; 0 removes it) and the grace before
 * a flagged secret expires ({@code secretExpiryGraceDays}, 0 to 365, 14 by default). Absent fields stay as they are;
 * {@code "tokenSigningAlg": null} goes back to token-service's default, which is why this is a class that records
 * whether the field was given (a record cannot tell null from absent).
 */
public final class EnvironmentPatchRequest {

    @JsonProperty
    @Size(min = 1, max = 100)
    @Pattern(regexp = Patterns.PRINTABLE, message = "must not contain control characters")
    private String name;

    @JsonProperty
    @Pattern(regexp = Patterns.CONFIGURATION_NAME, message = "must name a Configuration")
    private String configuration;

    @Schema(nullable = true, enumeration = { "EdDSA", "ES256",
            "RS256" }, description = "JWS algorithm of this Environment's access tokens: EdDSA, ES256 or RS256 (exactly so spelt, else 400 unsupported_token_signing_alg); null = token-service's default")
    private String tokenSigningAlg;

    @JsonIgnore
    @Schema(hidden = true)
    private boolean tokenSigningAlgGiven;

    @JsonProperty
    @Min(0)
    @Max(3650)
    @Schema(description = "Secrets older than this many days are flagged, then expire after the grace; 0 removes the maximum")
    private Integer secretMaxAgeDays;

    @JsonProperty
    @Min(0)
    @Max(365)
    @Schema(description = "Days between a secret's flag and its expiry (14 by default)")
    private Integer secretExpiryGraceDays;

    public EnvironmentPatchRequest() {
    }

    public String name() {
        return name;
    }

    public String configuration() {
        return configuration;
    }

    public String tokenSigningAlg() {
        return tokenSigningAlg;
    }

    public Integer secretMaxAgeDays() {
        return secretMaxAgeDays;
    }

    public Integer secretExpiryGraceDays() {
        return secretExpiryGraceDays;
    }

    /** Whether the request named {@code tokenSigningAlg}, null included. */
    public boolean tokenSigningAlgGiven() {
        return tokenSigningAlgGiven;
    }

    @JsonProperty("tokenSigningAlg")
    void setTokenSigningAlg(String tokenSigningAlg) {
        this.tokenSigningAlg = tokenSigningAlg;
        this.tokenSigningAlgGiven = true;
    }
}
