package io.keyhook.webhooks.client;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.keyhook.common.client.ServiceCall;
import io.keyhook.common.client.ServiceResponseMapper;
import io.keyhook.common.client.ServiceTokenFilter;
import io.keyhook.core.error.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * webhook-dispatcher's view of an Environment's circuit breakers, with this service's own token. Read for webhook
 * answers only, so it is short: no retry, a 2 s timeout, and the caller answers without it when it fails.
 */
@RegisterRestClient(configKey = "dispatcher")
@RegisterProvider(ServiceTokenFilter.class)
@ServiceCall
@RegisterProvider(ServiceResponseMapper.class)
@Path("/api/v1/environments/{env}")
public interface DispatcherApi {

    /** A breaker: {@code open} until {@code openUntil}, then {@code half_open} (the next attempt is a trial). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Breaker(String state, Instant openedAt, Instant openUntil) {
    }

    /** The webhooks whose breaker is not closed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Breakers(Map<String, Breaker> breakers) {
    }

    @GET
    @Path("/breakers")
    @Timeout(2000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    Uni<Breakers> breakers(@PathParam("env") String env);
}
