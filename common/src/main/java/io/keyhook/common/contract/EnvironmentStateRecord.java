package io.keyhook.common.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The value of a {@code keyhook.environments} record (key = {@link #id}; a tombstone when the Environment is deleted):
 * an Environment and the Configuration it uses, as credentials-service publishes it. {@code updatedAt} is the later of
 * the Environment's and the Configuration's changes, at microsecond precision.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnvironmentStateRecord(int schemaVersion, String id, String name, Configuration configuration,
        Instant updatedAt) {

    /** The published Configuration: its name, version and data types. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Configuration(String name, long version, List<String> dataTypes) {
    }
}
