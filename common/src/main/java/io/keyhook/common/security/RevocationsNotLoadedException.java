package io.keyhook.common.security;

/**
 * A replica that has not yet read every revocation since it started was shown a Keyhook-issued admin token: it cannot
 * judge it, so the request is answered 503 with {@code Retry-After} rather than accepted or called revoked.
 */
public class RevocationsNotLoadedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RevocationsNotLoadedException() {
        super("this replica has not yet read every revocation", null, false, false);
    }
}
