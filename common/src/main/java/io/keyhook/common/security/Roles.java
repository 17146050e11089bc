package io.keyhook.common.security;

/** The roles of SPEC.md section 6, carried in the token's {@code groups} claim. */
public final class Roles {

    /** Registers Configurations, creates Environments and admin clients. */
    public static final String PLATFORM_OPERATOR = "platform-operator";
    /** Manages clients, secrets, webhooks and deliveries of the Environments in its claim. */
    public static final String INTEGRATION_ADMIN = "integration-admin";
    /** Keyhook's own services calling each other's internal APIs. */
    public static final String SERVICE = "keyhook-service";

    /** The claim listing the Environment ids a caller may touch; {@code *} means all. */
    public static final String ENVIRONMENTS_CLAIM = "environments";
    public static final String ALL_ENVIRONMENTS = "*";

    private Roles() {
    }
}
