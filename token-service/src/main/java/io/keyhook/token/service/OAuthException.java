package io.keyhook.token.service;

/**
 * An RFC 6749 section 5.2 error: {@code error} is one of the registered codes, {@code description} is safe to show
 * (never a secret). {@code retryAfter} > 0 adds a Retry-After header.
 */
public class OAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
    public static final String INVALID_SCOPE = "invalid_scope";
    /** Not in section 5.2: used with 429 and 503, as RFC 6749 section 4.1.2.1 uses it. */
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

    private final int status;
    private final String error;
    private final long retryAfter;
    private volatile boolean audited;

    public OAuthException(int status, String error, String description, long retryAfter) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public static OAuthException badRequest(String error, String description) {
        return new OAuthException(400, error, description, 0);
    }

    public static OAuthException invalidClient() {
        return new OAuthException(401, INVALID_CLIENT, "client authentication failed", 0);
    }

    public static OAuthException tooMany(String description, long retryAfter) {
        return new OAuthException(429, TEMPORARILY_UNAVAILABLE, description, retryAfter);
    }

    /** Marks this failure as already in the audit log, so the endpoint does not record it twice. */
    public OAuthException audited() {
        this.audited = true;
        return this;
    }

    public boolean isAudited() {
        return audited;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public long retryAfter() {
        return retryAfter;
    }
}
