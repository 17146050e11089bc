package io.keyhook.token.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.keyhook.token.service.ClientIds;
import io.keyhook.token.service.MalformedClientId;
import io.keyhook.token.service.OAuthException;

/**
 * The client authentication of a request: {@code client_secret_basic} (RFC 6749 section 2.3.1: id and secret each
 * form-urlencoded, then joined by ':' and base64-encoded in a Basic header) or {@code client_secret_post} (body
 * parameters). Using both at once is {@code invalid_request} (section 2.3).
 */
record ClientCredentials(String clientId, String secret, boolean basic) {

    private static final int MAX = 512;

    /** The credentials, or null when the request carries none. */
    static ClientCredentials of(String authorization, FormBody form) {
        String postId = form.get("client_id");
        String postSecret = form.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (postSecret != null) {
                throw OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                        "use one client authentication method: Basic or client_secret in the body, not both");
            }
            ClientCredentials basic = fromBasic(authorization.substring(6).trim());
            if (postId != null && !postId.equals(basic.clientId())) {
                throw OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                        "client_id in the body differs from the Basic credentials");
            }
            return basic;
        }
        if (postSecret != null) {
            if (postId == null) {
                throw OAuthException.badRequest(OAuthException.INVALID_REQUEST, "client_id is required");
            }
            return checked(postId, postSecret, false);
        }
        return postId == null ? null : checked(postId, null, false);
    }

    private static ClientCredentials fromBasic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw OAuthException.invalidClient();
        }
        return checked(FormBody.decode(decoded.substring(0, colon)), FormBody.decode(decoded.substring(colon + 1)),
                true);
    }

    /**
     * The id is checked on every path, with or without a secret, before anything reads it: a malformed one is
     * {@link MalformedClientId} (401 {@code invalid_client}), audited as an escaped excerpt only.
     */
    private static ClientCredentials checked(String id, String secret, boolean basic) {
        if (!ClientIds.wellFormed(id)) {
            throw new MalformedClientId(id);
        }
        if (secret != null && secret.length() > MAX) {
            throw OAuthException.invalidClient();
        }
        return new ClientCredentials(id, secret, basic);
    }

    boolean hasSecret() {
        return secret != null && !secret.isEmpty();
    }
}
