package io.keyhook.webhooks.client;

import org.jboss.logging.Logger;

import io.keyhook.common.error.ProblemException;

/**
 * The one answer of every credentials-service client here when it cannot get an answer (no reply in time, a 5xx, an
 * unreadable body): 503 {@code credentials_unavailable} with {@code Retry-After}, nothing changed. A refusal
 * credentials-service made (already a {@link ProblemException}) passes through unchanged.
 */
final class CredentialsUnavailable {

    private static final Logger LOG = Logger.getLogger(CredentialsUnavailable.class);

    private CredentialsUnavailable() {
    }

    /** {@code detail} says what stayed as it was; {@code retryAfter} in seconds. */
    static ProblemException problem(Throwable cause, String what, String detail, String retryAfter) {
        if (cause instanceof ProblemException p) {
            return p;
        }
        LOG.warnf("%s unavailable: %s", what, cause.toString());
        return new ProblemException(503, "credentials_unavailable", "Service unavailable", detail)
                .withHeader("Retry-After", retryAfter);
    }
}
