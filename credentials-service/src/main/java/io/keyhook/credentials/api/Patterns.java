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
    static final String KEY_ROTATION_ID = "^kr_[A-Za-z0-9]{1,60}$";

    // a site as TokenUrlPolicy.siteOf names it: a lower-case host name (labels of 1-63, 253 in all) or an IP literal
    static final String SITE = "^(?:(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
            + "|\\[[0-9a-f:.]{2,45}\\])$";

    // issue 30: a client's token lifetime, within bounds an operator's maximum then caps (token-service)
    static final long MIN_TOKEN_LIFETIME = 60;
    static final long MAX_TOKEN_LIFETIME = 86_400;
    static final String SCOPES_DESCRIPTION = "Scopes the client may be granted: read, write, system/<dataType>.read|write,"
            + " system/<dataType>.<v2> (a non-empty subset of c r u d s in that order, e.g. rs, cud, cruds) or"
            + " system/*.<read|write|v2>, where <dataType> is one of the Environment's Configuration's data types; at most"
            + " 200, none twice. Null: any scope of those data types (read and write when no scope is asked for).";
    static final String LIFETIME_DESCRIPTION = "Lifetime of the client's access tokens in seconds (60 to 86400),"
            + " capped by token-service's keyhook.token.max-lifetime. Null: token-service's default.";

    private Patterns() {
    }
}
