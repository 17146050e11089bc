package io.keyhook.credentials.api;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code PATCH /api/v1/environments/{env}}: rename, publish another Configuration, or choose the access-token algorithm
 * of its clients. Absent fields stay as they are; {@code "tokenSigningAlg": null} goes back to token-service's default,
 * which is why this is a class that records whether the field was given (a record cannot tell null from absent).
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
