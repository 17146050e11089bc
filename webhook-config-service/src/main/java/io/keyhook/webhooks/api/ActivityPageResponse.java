package io.keyhook.webhooks.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A page of an Environment's activity feed (its operational events), newest first; {@code nextCursor} null on the last
 * page.
 */
public record ActivityPageResponse(List<ActivityItem> items, String nextCursor) {

    /**
     * One operational event: its CloudEvent {@code id}, {@code type}, {@code time} and {@code subject} (the webhook or
     * client it is about), its {@code data} as emitted (docs/operational-events.md), and when this service received it.
     */
    public record ActivityItem(String id, String type, Instant time, String subject, Map<String, Object> data,
            Instant receivedAt) {
    }
}
