package io.keyhook.webhooks.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.webhooks.persistence.ActivityRow;

/**
 * The text of a notification e-mail: one event, or a digest of several. Everything in it comes from events other
 * services wrote (ids, URLs, error excerpts from receivers), so the subject keeps only printable ASCII of a few safe
 * kinds and the body has every control character (CR, LF, NUL, ...) of a value replaced: no value can add a header or
 * fake a line.
 */
public final class NotificationMail {

    /** Events listed one by one in a digest; the rest are counted, and the activity feed has them all. */
    static final int LISTED = 50;

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** A message: its subject (one header line) and plain-text body. */
    public record Message(String subject, String text) {
    }

    private NotificationMail() {
    }

    /**
     * The message for the Environment's {@code events} (oldest first), with links into the console at {@code console}.
     */
    public static Message of(String env, List<ActivityRow> events, String console, ObjectMapper json) {
        String base = console.endsWith("/") ? console.substring(0, console.length() - 1) : console;
        String safeEnv = headerSafe(env, 64);
        StringBuilder text = new StringBuilder();
        String subject;
        if (events.size() == 1) {
            ActivityRow e = events.get(0);
            subject = "[Keyhook] " + safeEnv + ": " + headline(e);
            text.append("Keyhook noticed this in Environment ").append(bodySafe(env, 64)).append(":\n\n");
            describe(text, env, e, base, json);
        } else {
            subject = "[Keyhook] " + safeEnv + ": " + events.size() + " operational events";
            text.append(events.size()).append(" operational events in Environment ").append(bodySafe(env, 64))
                    .append(" since the last message (a digest: at most one message per interval):\n\n");
            events.stream().limit(LISTED).forEach(e -> describe(text, env, e, base, json));
            if (events.size() > LISTED) {
                text.append("... and ").append(events.size() - LISTED).append(" more.\n\n");
            }
        }
        text.append("Activity feed: ").append(base).append("/environments/").append(urlSafe(env)).append("/activity\n");
        text.append("\nYou get this because your address is in the Environment's notification settings.\n");
        return new Message(headerSafe(subject, 200), text.toString());
    }

    private static String headline(ActivityRow e) {
        String what = switch (e.type()) {
        case OperationalEvent.DELIVERY_EXHAUSTED -> "a delivery failed for good";
        case OperationalEvent.WEBHOOK_FAILING -> "webhook is failing";
        case OperationalEvent.WEBHOOK_DISABLED -> "webhook was disabled";
        case OperationalEvent.WEBHOOK_RECOVERED -> "webhook recovered";
        case OperationalEvent.HELD_EXPIRING -> "held deliveries expire soon";
        case OperationalEvent.CREDENTIAL_EXPIRING -> "a credential expires soon";
        case OperationalEvent.GAPS_AVAILABLE -> "a gap manifest is available";
        default -> "operational event";
        };
        return e.subject() == null ? what : what + " (" + headerSafe(e.subject(), 64) + ")";
    }

    /** One event: what, which webhook, since when, the last error, and the link to the webhook's console page. */
    private static void describe(StringBuilder text, String env, ActivityRow e, String base, ObjectMapper json) {
        Map<String, Object> data = dataOf(e, json);
        text.append("* ").append(bodySafe(e.type(), 100)).append(" at ").append(e.time()).append('\n');
        Object webhook = data.get("webhookId");
        line(text, "webhook", webhook);
        line(text, "url", data.get("url"));
        line(text, "client", data.get("clientId"));
        line(text, "failing since", data.get("failingSince"));
        line(text, "reason", data.get("reason"));
        line(text, "status", data.get("status"));
        line(text, "last status", data.get("lastStatus"));
        line(text, "last error", data.get("lastError"));
        line(text, "disabled at", data.get("disabledAt"));
        line(text, "auto-disable at", data.get("disableAt"));
        line(text, "expires at", data.get("expiresAt"));
        if (webhook instanceof String id && urlSafe(id).equals(id) && !id.isEmpty()) {
            text.append("  console: ").append(base).append("/environments/").append(urlSafe(env)).append("/webhooks/")
                    .append(id).append("/edit\n");
        }
        text.append('\n');
    }

    private static void line(StringBuilder text, String label, Object value) {
        if (value != null) {
            text.append("  ").append(label).append(": ").append(bodySafe(String.valueOf(value), 300)).append('\n');
        }
    }

    private static Map<String, Object> dataOf(ActivityRow e, ObjectMapper json) {
        try {
            Map<String, Object> m = json.readValue(e.data(), MAP);
            return m == null ? Map.of() : m;
        } catch (JsonProcessingException ex) {
            return Map.of();
        }
    }

    /** For a header: printable ASCII only (no CR, LF, NUL, no non-ASCII), at most {@code max} characters. */
    static String headerSafe(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return b.toString();
    }

    /** For a body line: control characters become spaces (no forged lines), at most {@code max} characters. */
    static String bodySafe(String s, int max) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(max).forEach(
                cp -> b.appendCodePoint(Character.isISOControl(cp) || Character.getType(cp) == Character.LINE_SEPARATOR
                        || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR ? ' ' : cp));
        return b.toString();
    }

    /** An id as it may stand in a link: letters, digits, '-', '_', '.' only. */
    static String urlSafe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "");
    }
}
