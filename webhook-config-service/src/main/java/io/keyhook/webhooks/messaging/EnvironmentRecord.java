package io.keyhook.webhooks.messaging;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A {@code keyhook.environments} record: an Environment and the data types of its Configuration. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnvironmentRecord(int schemaVersion, String id, String name, Configuration configuration,
        Instant updatedAt) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Configuration(String name, long version, List<String> dataTypes) {
    }
}
