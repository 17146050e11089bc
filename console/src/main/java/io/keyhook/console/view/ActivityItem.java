package io.keyhook.console.view;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One operational event of the Environment's activity feed ({@code keyhook.webhook.failing}, …): when, what, about
 * which webhook or client, and its data as name/value pairs (values are text from the suite and receivers: escaped).
 */
public record ActivityItem(String id, String type, String time, String subject, List<Field> data) {

    /** One entry of the event's data. */
    public record Field(String name, String value) {
    }

    public static ActivityItem of(JsonNode n) {
        List<Field> data = new ArrayList<>();
        n.path("data").properties().forEach(e -> data.add(
                new Field(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString())));
        return new ActivityItem(Json.text(n, "id"), Json.text(n, "type"), Json.when(n, "time"), Json.text(n, "subject"),
                data);
    }

    /** What happened, in a few words (the type without its {@code keyhook.} prefix otherwise). */
    public String headline() {
        if (type == null) {
            return "";
        }
        return switch (type) {
        case "keyhook.delivery.exhausted" -> "A delivery ended without reaching the receiver";
        case "keyhook.webhook.failing" -> "A webhook is failing";
        case "keyhook.webhook.disabled" -> "A webhook was paused";
        case "keyhook.webhook.recovered" -> "A webhook recovered";
        case "keyhook.held.expiring" -> "Held events will expire";
        case "keyhook.credential.expiring" -> "A credential will expire";
        case "keyhook.gaps.available" -> "A gap manifest is ready";
        default -> type.startsWith("keyhook.") ? type.substring(8) : type;
        };
    }

    /** The webhook the event is about, when it names one (its data's {@code webhookId}). */
    public String webhookId() {
        return data.stream().filter(f -> "webhookId".equals(f.name())).map(Field::value).findFirst().orElse(null);
    }
}
