package io.keyhook.common.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The value of a {@code keyhook.environments} record (key = {@link #id}; a tombstone when the Environment is deleted):
 * an Environment and the Configuration it uses, as credentials-service publishes it. {@code updatedAt} is the later of
 * the Environment's and the Configuration's changes, at microsecond precision.
 * <p>
 * {@code tokenSigningAlg} (issue 30, absent when null) is the JWS algorithm of the access tokens issued for this
 * Environment's clients ({@code EdDSA}, {@code ES256} or {@code RS256}), chosen by an operator when one customer's
 * resource server needs it; null = token-service's configured default.
 * <p>
 * {@code secretMaxAgeDays} and {@code secretExpiryGraceDays} (issue 30, both absent when the Environment has no maximum
 * secret age): secrets and keys older than {@code secretMaxAgeDays} are flagged, and expire
 * {@code secretExpiryGraceDays} later (docs/rotating-credentials.md "A maximum secret age"). webhook-config-service
 * applies them to a webhook's own signing keys and secrets.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnvironmentStateRecord(int schemaVersion, String id, String name, Configuration configuration,
        Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String tokenSigningAlg,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer secretMaxAgeDays,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer secretExpiryGraceDays) {

    /** An Environment that uses the default access-token algorithm and has no maximum secret age. */
    public EnvironmentStateRecord(int schemaVersion, String id, String name, Configuration configuration,
            Instant updatedAt) {
        this(schemaVersion, id, name, configuration, updatedAt, null);
    }

    /** An Environment without a maximum secret age. */
    public EnvironmentStateRecord(int schemaVersion, String id, String name, Configuration configuration,
            Instant updatedAt, String tokenSigningAlg) {
        this(schemaVersion, id, name, configuration, updatedAt, tokenSigningAlg, null, null);
    }

    /** Whether secrets and keys of this Environment have a maximum age. */
    public boolean hasSecretMaxAge() {
        return secretMaxAgeDays != null && secretMaxAgeDays > 0;
    }

    /** The published Configuration: its name, version and data types. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Configuration(String name, long version, List<String> dataTypes) {
    }
}
