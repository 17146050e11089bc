package io.keyhook.token.api;

import java.util.UUID;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.keyhook.common.error.ProblemMapper;
import io.keyhook.token.service.Json;
import io.keyhook.token.service.OAuthException;

/** Responses of the OAuth endpoints: JSON, never cached (RFC 6749 section 5.1), errors per section 5.2. */
final class OAuthResponses {

    private static final Logger LOG = Logger.getLogger(OAuthResponses.class);
    static final String REALM = "Basic realm=\"keyhook\"";

    private OAuthResponses() {
    }

    static Response json(String body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                .header("Pragma", "no-cache").build();
    }

    /**
     * The section 5.2 answer to a request that carried {@code authorization} (its Authorization header, or null).
     */
    static Response error(OAuthException e, String authorization) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(errorBody(e)).header("Cache-Control", "no-store").header("Pragma", "no-cache");
        if (challenges(e, authorization)) {
            r.header("WWW-Authenticate", REALM);
        }
        if (e.retryAfter() > 0) {
            r.header("Retry-After", String.valueOf(e.retryAfter()));
        }
        return r.build();
    }

    /**
     * Whether a refusal carries the {@code Basic} challenge: section 5.2 asks for it when the client tried to
     * authenticate with the Authorization header. A client that sent its secret in the body
     * ({@code client_secret_post}) gets none: libraries such as openid-client read a challenge as "authenticate with
     * Basic" and no longer read the {@code invalid_client} in the body.
     */
    static boolean challenges(OAuthException e, String authorization) {
        return e.status() == 401 && authorization != null && !authorization.isBlank();
    }

    /** The section 5.2 body: {@code error} and, when there is one, {@code error_description}. */
    static String errorBody(OAuthException e) {
        StringBuilder body = new StringBuilder("{\"error\":");
        Json.quote(body, e.error());
        if (e.getMessage() != null) {
            body.append(",\"error_description\":");
            Json.quote(body, e.getMessage());
        }
        return body.append('}').toString();
    }

    /** Any failure as an OAuth error: a backing service down is 503, anything unexpected 500 with an error id. */
    static OAuthException asOAuth(Throwable t) {
        if (t instanceof OAuthException e) {
            return e;
        }
        if (ProblemMapper.isUnavailable(t)) {
            LOG.warnf("Token request failed on a backing service: %s", t.toString());
            return new OAuthException(503, OAuthException.TEMPORARILY_UNAVAILABLE,
                    "a backing service is unavailable; try again shortly", 5);
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf(t, "Unhandled token endpoint error %s", id);
        return new OAuthException(500, "server_error", "unexpected error (error id " + id + ")", 0);
    }
}
