package io.keyhook.dispatcher.view;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A {@code keyhook.webhooks} record: one webhook as webhook-config-service published it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookState(int schemaVersion, String id, String environment, String url, List<String> notificationTypes,
        boolean paused, Security security, long version, Instant createdAt, Instant updatedAt) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Security(String method, List<String> secretIds, String tokenUrl) {
    }

    /** Whether this webhook opted into the type. */
    public boolean wants(String type) {
        return notificationTypes != null && notificationTypes.contains(type);
    }
}
