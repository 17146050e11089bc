package io.keyhook.common.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.keyhook.common.config.HttpConfig;
import io.keyhook.core.error.ProblemException;

/**
 * Refuses oversized JSON bodies with a problem+json 413 before they are read. The HTTP layer's own limit
 * ({@code quarkus.http.limits.max-body-size}, set higher) stays as the backstop for bodies without a Content-Length; it
 * answers with an empty 413.
 * <p>
 * Application-scoped on purpose: Quarkus REST makes its filters at static init, before the runtime configuration
 * mappings exist (SRCFG00027); through the client proxy this instance, and its {@link HttpConfig}, are made at the
 * first request instead.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long maxBytes;

    @Inject
    public BodySizeLimit(HttpConfig config) {
        this(config.maxRequestBody());
    }

    BodySizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @ServerRequestFilter(preMatching = true)
    public void refuseOversized(ContainerRequestContext request) {
        if (request.getLength() > maxBytes) {
            throw new ProblemException(413, "payload_too_large", "Payload too large",
                    "The request body has " + request.getLength() + " bytes; this API accepts at most " + maxBytes);
        }
    }
}
