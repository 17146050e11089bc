package io.keyhook.core.id;

import java.util.regex.Pattern;

/**
 * The suite's id patterns, declared once. Each is a compile-time constant, so bean validation
 * ({@code @Pattern(regexp = Ids.ENVIRONMENT)}) and the OpenAPI documents use the very string the parsers compile. Ids
 * stay URL- and comma-safe; a secret value pasted where an id belongs fails validation and is never echoed or audited.
 */
public final class Ids {

    /** An Environment id without anchors, for patterns that embed it (paths, "or all"). */
    public static final String ENVIRONMENT_BODY = "[a-z0-9][a-z0-9-]{0,62}";
    /** An Environment id: 1-63 lower-case letters, digits or {@code -}, not starting with {@code -}. */
    public static final String ENVIRONMENT = "^" + ENVIRONMENT_BODY + "$";
    /** An Environment id, or {@code *} for every Environment (an admin client's reach). */
    public static final String ENVIRONMENT_OR_ALL = "^(\\*|" + ENVIRONMENT_BODY + ")$";
    /** A Configuration's name: the Environment id's rule. */
    public static final String CONFIGURATION_NAME = ENVIRONMENT;
    /** A client id (and any id credentials-service hands out that carries no prefix of its own). */
    public static final String CLIENT = "^[A-Za-z0-9_-]{1,64}$";
    /** A client secret's id. */
    public static final String SECRET = "^sec_[A-Za-z0-9]{1,60}$";
    /** A webhook's id. */
    public static final String WEBHOOK = "^wh_[A-Za-z0-9]{1,60}$";
    /** A delivery's id. */
    public static final String DELIVERY = "^dl_[A-Za-z0-9]{1,60}$";
    /** A guided rotation's id. */
    public static final String ROTATION = "^rot_[A-Za-z0-9]{1,60}$";
    /** A signing key's id ({@code kid}). */
    public static final String SIGNING_KEY = "^[A-Za-z0-9_-]{1,64}$";

    private static final Pattern ENVIRONMENT_PATTERN = Pattern.compile(ENVIRONMENT);

    private Ids() {
    }

    /** Whether {@code id} is a well-formed Environment id (null is not). */
    public static boolean isEnvironment(String id) {
        return id != null && ENVIRONMENT_PATTERN.matcher(id).matches();
    }
}
