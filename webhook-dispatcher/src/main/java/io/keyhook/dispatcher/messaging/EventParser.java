package io.keyhook.dispatcher.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.DataChangeEvent;
import io.keyhook.core.id.Ids;
import io.keyhook.core.id.NotificationTypes;
import io.keyhook.core.text.SafeText;

/**
 * Reads a {@code keyhook.data-changes} record into a {@link DataChangeEvent}, or says why it cannot be delivered: the
 * reason goes into the dead-letter record's headers. Pure: no view, no I/O (whether the Environment's Configuration
 * offers the type is checked later, against the view).
 */
public final class EventParser {

    /** Why a record was dead-lettered. */
    public enum Reason {
        TOO_LARGE, NOT_JSON, NOT_CLOUDEVENT, UNSUPPORTED_SPECVERSION, MISSING_ENVIRONMENT, ENVIRONMENT_MISMATCH,
        BAD_TYPE, BAD_DATA, INVALID_FIELD;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Either an event or a reason (with a detail fit for a header; never the record's content). */
    public record Result(DataChangeEvent event, Reason reason, String detail) {

        public boolean ok() {
            return event != null;
        }
    }

    /**
     * The most characters of each text field that reaches PostgreSQL or a header (a B-tree entry holds about 2.7 KB, so
     * indexed fields stay well under that). The environment and type are bounded by their patterns.
     */
    public static final Map<String, Integer> LIMITS = Map.of("id", 256, "source", 1024, "subject", 1024, "time", 64,
            "data.resource", 128, "data.resourceId", 1024, "data.action", 16, "data.updatedAt", 64, "data.href", 2048);

    private final ObjectMapper json;
    private final int maxBytes;

    public EventParser(ObjectMapper json, int maxBytes) {
        this.json = json;
        this.maxBytes = maxBytes;
    }

    /** A record as Kafka holds it: the value must be valid UTF-8 (nothing is replaced silently). */
    public Result parse(String key, byte[] value) {
        if (value == null) {
            return reject(Reason.NOT_JSON, "empty record");
        }
        if (value.length > maxBytes) {
            return reject(Reason.TOO_LARGE, "larger than " + maxBytes + " bytes");
        }
        String text = SafeText.decodeStrict(value);
        if (text == null) {
            return reject(Reason.INVALID_FIELD, "the record is not valid UTF-8");
        }
        // the size was checked on the bytes: not encoded again
        return parseJson(key, text);
    }

    public Result parse(String key, String value) {
        if (value == null) {
            return reject(Reason.NOT_JSON, "empty record");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return reject(Reason.TOO_LARGE, "larger than " + maxBytes + " bytes");
        }
        return parseJson(key, value);
    }

    private Result parseJson(String key, String value) {
        JsonNode n;
        try {
            n = json.readTree(value);
        } catch (Exception e) {
            return reject(Reason.NOT_JSON, "not valid JSON");
        }
        if (n == null || !n.isObject()) {
            return reject(Reason.NOT_JSON, "not a JSON object");
        }
        for (String required : new String[] { "specversion", "id", "source", "type" }) {
            if (text(n, required) == null) {
                return reject(Reason.NOT_CLOUDEVENT, "missing or empty " + required);
            }
        }
        if (!DataChangeEvent.SPECVERSION.equals(text(n, "specversion"))) {
            return reject(Reason.UNSUPPORTED_SPECVERSION, "specversion must be 1.0");
        }
        String environment = text(n, "environment");
        if (!Ids.isEnvironment(environment)) {
            return reject(Reason.MISSING_ENVIRONMENT, "missing or malformed environment extension attribute");
        }
        if (key != null && !key.equals(environment)) {
            return reject(Reason.ENVIRONMENT_MISMATCH, "record key differs from the environment attribute");
        }
        String type = text(n, "type");
        if (!NotificationTypes.isType(type)) {
            return reject(Reason.BAD_TYPE, "type must be <dataType>.<created|updated|deleted>");
        }
        JsonNode d = n.get("data");
        if (d == null || !d.isObject()) {
            return reject(Reason.BAD_DATA, "data must be an object");
        }
        DataChangeEvent.Data data = new DataChangeEvent.Data(text(d, "resource"), text(d, "resourceId"),
                text(d, "action"), text(d, "updatedAt"), text(d, "href"));
        if (data.resource() == null || data.resourceId() == null || data.action() == null) {
            return reject(Reason.BAD_DATA, "data needs resource, resourceId and action");
        }
        String subject = text(n, "subject");
        String invalid = firstInvalid(text(n, "id"), text(n, "source"), subject, text(n, "time"), data);
        if (invalid != null) {
            return reject(Reason.INVALID_FIELD, invalid);
        }
        return new Result(new DataChangeEvent(text(n, "id"), text(n, "source"), type, text(n, "time"),
                subject != null ? subject : data.resourceId(), environment, data), null, null);
    }

    /** The first field that is too long or holds a control character, named with what is wrong; null if none. */
    private static String firstInvalid(String id, String source, String subject, String time, DataChangeEvent.Data d) {
        String[][] fields = { { "id", id }, { "source", source }, { "subject", subject }, { "time", time },
                { "data.resource", d.resource() }, { "data.resourceId", d.resourceId() }, { "data.action", d.action() },
                { "data.updatedAt", d.updatedAt() }, { "data.href", d.href() } };
        for (String[] f : fields) {
            if (f[1] != null) {
                String problem = SafeText.problem(f[1], LIMITS.get(f[0]));
                if (problem != null) {
                    return "field " + f[0] + " " + problem;
                }
            }
        }
        return null;
    }

    /**
     * What can be trusted of a record that could not be used: its Environment and event id (and type, subject and
     * data.resourceId when they are valid), so a dead-lettered event can be followed by its id. Null when the
     * Environment or the id cannot be read safely (not UTF-8, not a JSON object, too large, malformed or over-long
     * values, control characters): nothing of such a record is kept. Never throws.
     */
    public Identity identify(String key, byte[] value) {
        try {
            if (value == null || value.length > maxBytes) {
                return null;
            }
            String text = SafeText.decodeStrict(value);
            JsonNode n = text == null ? null : json.readTree(text);
            if (n == null || !n.isObject()) {
                return null;
            }
            String environment = text(n, "environment");
            String id = text(n, "id");
            if (!Ids.isEnvironment(environment) || id == null || SafeText.problem(id, LIMITS.get("id")) != null
                    || key != null && !key.equals(environment)) {
                // a record keyed for another Environment than it names is nobody's to follow
                return null;
            }
            String type = text(n, "type");
            JsonNode d = n.get("data");
            return new Identity(environment, id, NotificationTypes.isType(type) ? type : null,
                    valid(text(n, "subject"), "subject"),
                    d != null && d.isObject() ? valid(text(d, "resourceId"), "data.resourceId") : null);
        } catch (Exception | StackOverflowError e) {
            return null;
        }
    }

    /** A dead-lettered record's readable identity; {@code type}, {@code subject}, {@code resourceId} may be null. */
    public record Identity(String environment, String id, String type, String subject, String resourceId) {
    }

    private static String valid(String value, String field) {
        return value != null && SafeText.problem(value, LIMITS.get(field)) == null ? value : null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static Result reject(Reason reason, String detail) {
        return new Result(null, reason, detail);
    }
}
