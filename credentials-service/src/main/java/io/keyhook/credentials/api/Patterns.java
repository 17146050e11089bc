package io.keyhook.credentials.api;

/** Character rules shared by request records: ids stay URL- and comma-safe, names stay printable. */
final class Patterns {

    static final String ENVIRONMENT_ID = "^[a-z0-9][a-z0-9-]{0,62}$";
    static final String ENVIRONMENT_ID_OR_ALL = "^(\\*|[a-z0-9][a-z0-9-]{0,62})$";
    static final String CONFIGURATION_NAME = "^[a-z0-9][a-z0-9-]{0,62}$";
    static final String DATA_TYPE = "^[a-z][a-z0-9_]{0,62}$";
    static final String PRINTABLE = "^[^\\p{Cntrl}]*$";
    static final String GROUP = "^(platform-operator|integration-admin|keyhook-service)$";
    static final String OBJECT_ID = "^[A-Za-z0-9_-]{1,64}$";
    // a secret value pasted where an id belongs must fail validation, never be echoed or audited
    static final String SECRET_ID = "^sec_[A-Za-z0-9]{1,60}$";

    // a site as TokenUrlPolicy.siteOf names it: a lower-case host name (labels of 1-63, 253 in all) or an IP literal
    static final String SITE = "^(?:(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
            + "|\\[[0-9a-f:.]{2,45}\\])$";

    private Patterns() {
    }
}
