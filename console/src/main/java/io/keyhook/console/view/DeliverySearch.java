package io.keyhook.console.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The delivery log's search as the Deliveries page sends it to the dispatcher: {@code status}, {@code type},
 * {@code resourceId}, {@code eventId} and {@code messageId} (the {@code webhook-id} header's value), one page at a time
 * by the log's keyset {@code cursor}.
 */
public record DeliverySearch(String webhook, String status, String type, String resourceId, String eventId,
        String messageId, String cursor) {

    public static final List<String> STATUSES = List.of("pending", "held", "delivered", "failed", "expired");

    public DeliverySearch {
        webhook = trim(webhook);
        status = STATUSES.contains(trim(status)) ? trim(status) : "";
        type = trim(type);
        resourceId = trim(resourceId);
        eventId = trim(eventId);
        messageId = trim(messageId);
        cursor = trim(cursor);
    }

    /** The API's query parameters (blank ones are left out when the query string is built). */
    public Map<String, String> apiQuery(int limit) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("status", status);
        q.put("type", type);
        q.put("resourceId", resourceId);
        q.put("eventId", eventId);
        q.put("messageId", messageId);
        q.put("cursor", cursor);
        q.put("limit", String.valueOf(limit));
        return q;
    }

    /** Whether anything narrows the log (the page then says "No delivery matches"). */
    public boolean narrowed() {
        return !(status + type + resourceId + eventId + messageId).isEmpty();
    }

    /** The console's query string for the same search at {@code nextCursor} (the next page's link). */
    public String next(String nextCursor) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("webhook", webhook);
        q.put("status", status);
        q.put("type", type);
        q.put("resourceId", resourceId);
        q.put("eventId", eventId);
        q.put("messageId", messageId);
        q.put("cursor", nextCursor);
        return "?" + q.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isEmpty())
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
