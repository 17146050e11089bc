package io.keyhook.common.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The value of a {@code keyhook.webhooks} record (key = {@link #id}; a tombstone when the webhook is deleted): the
 * webhook's whole state as webhook-config-service publishes it, what the dispatcher routes with. A higher
 * {@code version} is a later state.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookState(int schemaVersion, String id, String environment, String url, List<String> notificationTypes,
        boolean paused, Security security, long version, Instant createdAt, Instant updatedAt) {

    /** Method and secret ids; the dispatcher gets the secrets themselves from {@code keyhook.credentials}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Security(String method, List<String> secretIds, String tokenUrl) {
    }

    /** Whether this webhook opted into the type. */
    public boolean wants(String type) {
        return notificationTypes != null && notificationTypes.contains(type);
    }
}
