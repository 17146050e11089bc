package io.keyhook.common.contract;

/**
 * The headers the dispatcher adds to a record it puts on {@code keyhook.kafka.dead-letter-topic} (after every header
 * the record was published with; a reader takes the last of each name). Values are UTF-8 text.
 */
public final class DeadLetterHeaders {

    /** Why: a reason code such as {@code not_json} or {@code unknown_type} (docs/publishing-events.md). */
    public static final String REASON = "keyhook-dlq-reason";
    /** What exactly, fit for a header: never the record's content. */
    public static final String DETAIL = "keyhook-dlq-detail";
    /** Where the record was read. */
    public static final String SOURCE_TOPIC = "keyhook-source-topic";
    public static final String SOURCE_PARTITION = "keyhook-source-partition";
    public static final String SOURCE_OFFSET = "keyhook-source-offset";

    private DeadLetterHeaders() {
    }
}
