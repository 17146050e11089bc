package io.keyhook.common.client;

import org.jboss.logging.Logger;

import io.keyhook.core.error.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * The last step of every call to another Keyhook service: a refusal ({@link ProblemException}) passes through; any
 * other failure (no answer in time, an open circuit, a {@link ServiceUnavailable}, a connection refused) becomes 503
 * with {@code Retry-After}, saying what stayed as it was.
 */
public final class ServiceCalls {

    private static final Logger LOG = Logger.getLogger(ServiceCalls.class);

    private ServiceCalls() {
    }

    /**
     * {@code call} with its failures in the problem model: {@code code} (e.g. {@code credentials_unavailable}) and
     * {@code detail} for the 503, {@code what} for the log, {@code retryAfter} in seconds.
     */
    public static <T> Uni<T> answered(Uni<T> call, String what, String code, String detail, int retryAfter) {
        return call.onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> unavailable(e, what, code, detail, retryAfter));
    }

    /** The 503 for a call that got no usable answer. */
    public static ProblemException unavailable(Throwable cause, String what, String code, String detail,
            int retryAfter) {
        if (cause instanceof ProblemException p) {
            return p;
        }
        LOG.warnf("%s unavailable: %s", what, cause.toString());
        return new ProblemException(503, code, "Service unavailable", detail).withHeader("Retry-After",
                Integer.toString(retryAfter));
    }

    /** Whether {@code failure} is the owner saying the thing does not exist (404). */
    public static boolean notFound(Throwable failure) {
        return failure instanceof ProblemException p && p.status() == 404;
    }
}
