package io.keyhook.core.id;

import java.util.List;

/**
 * How deliveries to a webhook are secured (SPEC.md section 5): the names the API, the topic record and the console use,
 * declared once.
 */
public final class SecurityMethods {

    /** Standard Webhooks HMAC signature headers with a client secret. */
    public static final String STANDARD_WEBHOOKS = "standard-webhooks";
    /** A bearer JWT Keyhook signs with a client secret (HS256). */
    public static final String JWT_BEARER = "jwt-bearer";
    /** A token from the receiver's token URL, fetched with the client's credentials. */
    public static final String TOKEN_EXCHANGE = "token-exchange";
    /** Every method, in the API's order. */
    public static final List<String> ALL = List.of(STANDARD_WEBHOOKS, JWT_BEARER, TOKEN_EXCHANGE);
    /** Any of them, for bean validation. */
    public static final String PATTERN = "^(" + STANDARD_WEBHOOKS + "|" + JWT_BEARER + "|" + TOKEN_EXCHANGE + ")$";

    private SecurityMethods() {
    }
}
