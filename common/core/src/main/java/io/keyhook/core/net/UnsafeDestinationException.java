package io.keyhook.core.net;

/** A destination URL Keyhook must not call; {@code code} is stable, the message is safe to show. */
public class UnsafeDestinationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public UnsafeDestinationException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
