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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnvironmentStateRecord(int schemaVersion, String id, String name, Configuration configuration,
        Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String tokenSigningAlg) {

    /** An Environment that uses the default access-token algorithm. */
    public EnvironmentStateRecord(int schemaVersion, String id, String name, Configuration configuration,
            Instant updatedAt) {
        this(schemaVersion, id, name, configuration, updatedAt, null);
    }

    /** The published Configuration: its name, version and data types. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Configuration(String name, long version, List<String> dataTypes) {
    }
}
