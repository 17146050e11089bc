package io.keyhook.dispatcher.events;

/**
 * A data-change event as published on {@code keyhook.data-changes}: a CloudEvents 1.0 structured-mode JSON record whose
 * {@code type} is the notification type ({@code <dataType>.<action>}), {@code subject} the record id, with the
 * extension attribute {@code environment} and a thin {@code data} object (no patient data).
 */
public record DataChangeEvent(String id, String source, String type, String time, String subject, String environment,
        Data data) {

    /** What changed and where to fetch it. */
    public record Data(String resource, String resourceId, String action, String updatedAt, String href) {
    }

    /** The data type part of {@code type}. */
    public String dataType() {
        return type.substring(0, type.lastIndexOf('.'));
    }
}
