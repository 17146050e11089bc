package io.keyhook.dispatcher.client;

import java.time.temporal.ChronoUnit;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.keyhook.common.client.ServiceCall;
import io.keyhook.common.client.ServiceResponseMapper;
import io.keyhook.common.client.ServiceTokenFilter;
import io.keyhook.common.client.ServiceUnavailable;
import io.keyhook.core.error.ProblemException;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * webhook-config-service's internal API (role keyhook-service), called with the dispatcher's own token from
 * quarkus-oidc-client. Pausing is idempotent, so a call that could not connect, timed out or got a 5xx is retried with
 * backoff (1 s, 2 s, 4 s, ...).
 */
@RegisterRestClient(configKey = "webhooks")
@RegisterProvider(ServiceTokenFilter.class)
@ServiceCall
@RegisterProvider(ServiceResponseMapper.class)
@Path("/internal/v1/webhooks/{webhookId}")
public interface WebhooksInternalApi {

    /**
     * Why the webhook was paused, for its audit trail; {@code code} {@code failing} for auto-disable (issue 31), absent
     * (= {@code gone}) for a 410, so that request's body is what it always was.
     */
    record Reason(String reason, @JsonInclude(JsonInclude.Include.NON_NULL) String code) {

        public static final String FAILING = "failing";

        /** A 410's request, as before issue 31. */
        public Reason(String reason) {
            this(reason, null);
        }
    }

    @POST
    @Path("/disable")
    @Timeout(5000)
    @Retry(maxRetries = 5, delay = 1000, maxDuration = 90000, retryOn = { ServiceUnavailable.class,
            ProcessingException.class, TimeoutException.class })
    @ExponentialBackoff(maxDelay = 16000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    Uni<Void> disable(@PathParam("webhookId") String webhookId, Reason reason);
}
