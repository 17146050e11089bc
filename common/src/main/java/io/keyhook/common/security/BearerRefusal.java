package io.keyhook.common.security;

import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Why an admin API refused a bearer token (401), as a stable {@code code}, a {@code detail} that says what to do, and
 * the RFC 6750 challenge. It says no more than the RFC's {@code invalid_token} does about which check failed: expired,
 * meant for another audience or issuer, revoked, or not verifiable; never which key, claim value or client.
 */
public record BearerRefusal(String code, String detail, String challenge) {

    static final String REALM = "keyhook";

    /** No bearer token at all: the RFC's challenge without an error code. */
    public static BearerRefusal missing() {
        return new BearerRefusal("unauthenticated",
                "Send Authorization: Bearer with an admin client's access token (from the token endpoint)",
                "Bearer realm=\"" + REALM + "\"");
    }

    /** The refusal for a failed authentication with a bearer token present. */
    public static BearerRefusal of(Throwable failure) {
        InvalidJwtException jwt = find(failure, InvalidJwtException.class);
        if (jwt != null) {
            if (jwt.hasExpired()) {
                return invalid("token_expired", "The token has expired: get a new one from the token endpoint");
            }
            if (jwt.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || jwt.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                return invalid("wrong_audience", "This token is not for the admin APIs: they take an admin client's"
                        + " token (audience keyhook-admin); an API client's token is for the platform's data APIs");
            }
            if (jwt.hasErrorCode(ErrorCodes.ISSUER_INVALID) || jwt.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                return invalid("wrong_issuer", "This token was not issued by this Keyhook's token endpoint");
            }
            if (jwt.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE) || jwt.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
                return invalid("token_not_yet_valid", "The token is not valid yet: check this machine's clock");
            }
        }
        if (find(failure, RevokedTokenException.class) != null) {
            return invalid("token_revoked", "This token was revoked, or its admin client or secret no longer"
                    + " allows it: get a new token if the client may still have one");
        }
        return invalid("invalid_token",
                "The bearer token is malformed or its signature does not verify: use a token as the token endpoint"
                        + " issued it");
    }

    private static BearerRefusal invalid(String code, String detail) {
        return new BearerRefusal(code, detail, "Bearer realm=\"" + REALM + "\", error=\"invalid_token\","
                + " error_description=\"" + detail.replace('"', '\'') + "\"");
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
