package io.keyhook.core.id;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The notification-type grammar, declared once: {@code <dataType>.<action>}, where the data type is one a Configuration
 * offers and the action is one of {@link #ACTIONS}. Data-change events carry it as their CloudEvents {@code type};
 * webhooks opt into it.
 */
public final class NotificationTypes {

    /** What can happen to a record, in the order notification types are listed. */
    public static final List<String> ACTIONS = List.of("created", "updated", "deleted");
    /** A data type without anchors: a lower-case letter, then up to 62 lower-case letters, digits or {@code _}. */
    public static final String DATA_TYPE_BODY = "[a-z][a-z0-9_]{0,62}";
    /** A data type a Configuration offers. */
    public static final String DATA_TYPE = "^" + DATA_TYPE_BODY + "$";
    /** A notification type (the actions are {@link #ACTIONS}, written out so the pattern is a constant). */
    public static final String TYPE = "^" + DATA_TYPE_BODY + "\\.(created|updated|deleted)$";

    private static final Pattern TYPE_PATTERN = Pattern.compile(TYPE);

    private NotificationTypes() {
    }

    /** Whether {@code type} is a well-formed notification type (null is not). */
    public static boolean isType(String type) {
        return type != null && TYPE_PATTERN.matcher(type).matches();
    }

    /** The notification type of {@code action} on {@code dataType}. */
    public static String of(String dataType, String action) {
        return dataType + "." + action;
    }

    /** The data type part of a well-formed notification type. */
    public static String dataTypeOf(String type) {
        return type.substring(0, type.lastIndexOf('.'));
    }
}
