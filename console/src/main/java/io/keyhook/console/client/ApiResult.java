package io.keyhook.console.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A service's answer: its status and JSON body; a problem+json body is read into a message and field errors. */
public record ApiResult(int status, JsonNode body) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public boolean notFound() {
        return status == 404;
    }

    public JsonNode json() {
        return body == null ? MissingNode.getInstance() : body;
    }

    /** The problem's code (e.g. {@code secret_in_use}), or null. */
    public String code() {
        return ok() ? null : text(json().get("code"));
    }

    /** One sentence for people: the problem's detail, else its title, else the status. */
    public String message() {
        if (ok()) {
            return null;
        }
        String detail = text(json().get("detail"));
        String title = text(json().get("title"));
        if (detail != null && !detail.isBlank()) {
            return detail;
        }
        return title != null ? title : "The service answered " + status;
    }

    /**
     * The message for a form: when the service named fields, they are named by the form's {@code labels} (API path
     * without indexes to label, e.g. {@code security.secretIds} to "Signing credential"), not by their API paths.
     */
    public String message(Map<String, String> labels) {
        JsonNode errors = json().get("errors");
        if (ok() || errors == null || !errors.isArray() || errors.isEmpty()) {
            return message();
        }
        Map<String, String> byLabel = new LinkedHashMap<>();
        for (JsonNode e : errors) {
            String path = String.valueOf(text(e.get("field"))).replaceAll("\\[\\d+\\]", "");
            String label = labels.getOrDefault(path,
                    labels.getOrDefault(path.substring(path.lastIndexOf('.') + 1), path));
            byLabel.merge(label, String.valueOf(text(e.get("message"))), (a, b) -> a + "; " + b);
        }
        List<String> parts = new ArrayList<>();
        byLabel.forEach((label, message) -> parts.add(label + ": " + message));
        return "Please check " + String.join(". ", parts) + ".";
    }

    /** Field errors by field name (the last segment of the JSON path), for messages next to the field. */
    public Map<String, String> fieldErrors() {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode errors = json().get("errors");
        if (errors != null && errors.isArray()) {
            for (JsonNode e : errors) {
                String field = text(e.get("field"));
                // "security.secretIds[0]" -> "secretIds": the form field it belongs to
                String path = field == null ? "" : field.replaceAll("\\[\\d+\\]", "");
                String name = path.substring(path.lastIndexOf('.') + 1);
                out.merge(name, String.valueOf(text(e.get("message"))), (a, b) -> a + "; " + b);
            }
        }
        return out;
    }

    /** The items of a page ({@code {"items": [...]}}) or of a bare array. */
    public List<JsonNode> items() {
        JsonNode n = json().isArray() ? json() : json().get("items");
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(out::add);
        }
        return out;
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
