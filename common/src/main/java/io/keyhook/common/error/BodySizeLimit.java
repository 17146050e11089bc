package io.keyhook.common.error;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.keyhook.core.error.ProblemException;

/**
 * Refuses oversized JSON bodies with a problem+json 413 before they are read. The HTTP layer's own limit
 * ({@code quarkus.http.limits.max-body-size}, set higher) stays as the backstop for bodies without a Content-Length; it
 * answers with an empty 413.
 */
public class BodySizeLimit {

    private final long maxBytes = ConfigProvider.getConfig()
            .getOptionalValue("keyhook.http.max-request-body", Long.class).orElse(65536L);

    @ServerRequestFilter(preMatching = true)
    public void refuseOversized(ContainerRequestContext request) {
        if (request.getLength() > maxBytes) {
            throw new ProblemException(413, "payload_too_large", "Payload too large",
                    "The request body has " + request.getLength() + " bytes; this API accepts at most " + maxBytes);
        }
    }
}
