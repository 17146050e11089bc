package io.keyhook.webhooks.client;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.keyhook.common.client.ServiceCall;
import io.keyhook.common.client.ServiceResponseMapper;
import io.keyhook.common.client.ServiceTokenFilter;
import io.keyhook.common.client.ServiceUnavailable;
import io.keyhook.core.error.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * credentials-service's internal API (role keyhook-service), called with this service's own token: client credentials
 * of the service admin client, from quarkus-oidc-client, held by common's ServiceToken (a call answered 401 is made
 * once more with a new token, see {@link ServiceCall}). Every call here is idempotent (a replacement, a release, an
 * invalidation), so one that could not connect or got a 5xx is retried.
 */
@RegisterRestClient(configKey = "credentials")
@RegisterProvider(ServiceTokenFilter.class)
@ServiceCall
// the same guard on every method (each has its own circuit)
@Timeout(5000)
@Retry(maxRetries = 2, delay = 200, maxDuration = 12000, retryOn = { ServiceUnavailable.class,
        ProcessingException.class })
@CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
@RegisterProvider(ServiceResponseMapper.class)
@Path("/internal/v1")
public interface CredentialsInternalApi {

    /**
     * The set of secrets a webhook holds, replaced atomically; {@code disclosure} (token-exchange only, else omitted)
     * names those sent to the receiver's token endpoint and its site, to which credentials-service pins them.
     */
    record LeaseSet(String environment, List<String> secretIds,
            @JsonInclude(JsonInclude.Include.NON_NULL) LeaseDisclosure disclosure) {
    }

    record LeaseDisclosure(String purpose, String site, List<String> secretIds) {
    }

    @PUT
    @Path("/webhooks/{webhookId}/leases")
    Uni<Void> setLeases(@PathParam("webhookId") String webhookId, LeaseSet leases);

    @DELETE
    @Path("/webhooks/{webhookId}/leases")
    Uni<Void> releaseLeases(@PathParam("webhookId") String webhookId);

    /** Finishing a rotation may happen later, in the background, so it runs under this service's authority. */
    @POST
    @Path("/environments/{env}/clients/{clientId}/secrets/{secretId}/invalidate")
    Uni<Void> invalidate(@PathParam("env") String env, @PathParam("clientId") String clientId,
            @PathParam("secretId") String secretId);

    /** A secret as the internal listing shows it (no value). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SecretUse(String id, String status, Instant lastUsedAt) {
    }

    /** The client's secrets with their last use: a verified rotation's quiet-period check. */
    @GET
    @Path("/environments/{env}/clients/{clientId}/secrets")
    Uni<List<SecretUse>> secrets(@PathParam("env") String env, @PathParam("clientId") String clientId);
}
