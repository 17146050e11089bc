package io.keyhook.console.client;

/** A service could not be reached (or did not answer in time); the page says so instead of failing blank. */
public class ServiceUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServiceUnavailable(String service, Throwable cause) {
        super(service + " is not answering right now (" + cause.getClass().getSimpleName() + "); try again shortly",
                cause);
    }
}
