package io.keyhook.console.client;

/**
 * A service refused the signed-in admin's token (401): the admin client was disabled, its secret invalidated, the token
 * revoked or its Environments narrowed. The console ends the session at once instead of showing errors page by page.
 */
public class SessionRevoked extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SessionRevoked(String service) {
        super(service + " no longer accepts this sign-in", null, false, false);
    }
}
