package io.keyhook.token.service;

/**
 * A {@code client_id} that cannot be anyone's (see {@link ClientIds}): 401 {@code invalid_client} like any failed
 * authentication. It carries the raw value only so the audit can record its escaped excerpt.
 */
public final class MalformedClientId extends OAuthException {

    private static final long serialVersionUID = 1L;
    private final transient String raw;

    public MalformedClientId(String raw) {
        super(401, INVALID_CLIENT, "client authentication failed", 0);
        this.raw = raw;
    }

    public String raw() {
        return raw;
    }
}
