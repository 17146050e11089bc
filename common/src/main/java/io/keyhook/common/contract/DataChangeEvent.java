package io.keyhook.common.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.keyhook.core.id.NotificationTypes;

/**
 * A data-change event as published on {@code keyhook.data-changes} (key = the Environment id): a CloudEvents 1.0
 * structured-mode JSON record whose {@code type} is the notification type ({@link NotificationTypes}), {@code subject}
 * the record id, with the extension attribute {@code environment} and a thin {@code data} object (no patient data). The
 * dispatcher's parser checks every field before it builds one (docs/publishing-events.md).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DataChangeEvent(String id, String source, String type, String time, String subject, String environment,
        Data data) {

    /** The only CloudEvents version Keyhook reads. */
    public static final String SPECVERSION = "1.0";

    /** What changed and where to fetch it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Data(String resource, String resourceId, String action, String updatedAt, String href) {
    }

    /** Written with the event, so the JSON of this record is a whole CloudEvent. */
    @JsonProperty("specversion")
    public String specversion() {
        return SPECVERSION;
    }

    /** The data type part of {@code type}. */
    public String dataType() {
        return NotificationTypes.dataTypeOf(type);
    }
}
