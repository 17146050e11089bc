package io.keyhook.common.client;

/**
 * Another Keyhook service gave no usable answer: a 5xx, a refusal of this service's own token (401, or 403 without a
 * problem code), or an unreadable body. Unlike a refusal it says nothing about the request, so Fault Tolerance may
 * retry it (where the call is idempotent) and counts it against the circuit breaker.
 */
public class ServiceUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ServiceUnavailable(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status the service answered, 0 when there was none. */
    public int status() {
        return status;
    }
}
