package io.keyhook.credentials.api;

import io.keyhook.core.id.Ids;
import io.keyhook.core.id.NotificationTypes;
import io.keyhook.credentials.service.JwksValidator;

/**
 * Character rules shared by request records: ids stay URL- and comma-safe, names stay printable. The id patterns are
 * the suite's ({@link Ids}); the rest are this API's own.
 */
final class Patterns {

    static final String ENVIRONMENT_ID = Ids.ENVIRONMENT;
    static final String ENVIRONMENT_ID_OR_ALL = Ids.ENVIRONMENT_OR_ALL;
    static final String CONFIGURATION_NAME = Ids.CONFIGURATION_NAME;
    static final String DATA_TYPE = NotificationTypes.DATA_TYPE;
    static final String PRINTABLE = "^[^\\p{Cntrl}]*$";
    static final String GROUP = "^(platform-operator|integration-admin|keyhook-service)$";
    static final String OBJECT_ID = Ids.CLIENT;
    // a secret value pasted where an id belongs must fail validation, never be echoed or audited
    static final String SECRET_ID = Ids.SECRET;

    // a registered key's kid (JwksValidator checks the same when a JWKS is registered)
    static final String KID = JwksValidator.KID_REGEX;

    // a site as TokenUrlPolicy.siteOf names it: a lower-case host name (labels of 1-63, 253 in all) or an IP literal
    static final String SITE = "^(?:(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
            + "|\\[[0-9a-f:.]{2,45}\\])$";

    private Patterns() {
    }
}
