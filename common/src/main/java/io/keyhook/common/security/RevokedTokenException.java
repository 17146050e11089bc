package io.keyhook.common.security;

/**
 * Why {@link AdminTokenGuard} refused a well-signed admin token (revoked, or its client or secret no longer allows it):
 * the cause of the authentication failure, so the 401 can say "revoked" without saying more.
 */
public class RevokedTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RevokedTokenException(String reason) {
        super(reason, null, false, false);
    }
}
