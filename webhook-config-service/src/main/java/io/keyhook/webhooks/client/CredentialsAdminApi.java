package io.keyhook.webhooks.client;

import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.common.client.ServiceResponseMapper;
import io.keyhook.common.client.ServiceUnavailable;
import io.keyhook.core.error.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * credentials-service's admin API, called with the admin's own token: their access rules apply, and a secret is created
 * under their authority. Reads are retried when they could not connect or got a 5xx; creating a secret is not (a second
 * secret would be made).
 */
@RegisterRestClient(configKey = "credentials")
@RegisterProvider(ServiceResponseMapper.class)
@Timeout(5000)
@CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
@Path("/api/v1/environments/{env}")
public interface CredentialsAdminApi {

    /** A secret just created: its value is shown once, in the response that started the rotation. */
    @JsonIgnoreProperties(ignoreUnknown = true) // the owner's answer has more; the API mapper refuses unknown fields
    record CreatedSecret(String id, String value) {
    }

    /** A secret as listed (never its value). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SecretSummary(String id, String status) {
    }

    @GET
    @Retry(maxRetries = 2, delay = 200, maxDuration = 12000, retryOn = { ServiceUnavailable.class,
            ProcessingException.class })
    Uni<JsonNode> environment(@HeaderParam("Authorization") String adminBearer, @PathParam("env") String env);

    @POST
    @Path("/clients/{clientId}/secrets")
    Uni<CreatedSecret> createSecret(@HeaderParam("Authorization") String adminBearer, @PathParam("env") String env,
            @PathParam("clientId") String clientId);

    @GET
    @Path("/clients/{clientId}/secrets")
    @Retry(maxRetries = 2, delay = 200, maxDuration = 12000, retryOn = { ServiceUnavailable.class,
            ProcessingException.class })
    Uni<List<SecretSummary>> secrets(@HeaderParam("Authorization") String adminBearer, @PathParam("env") String env,
            @PathParam("clientId") String clientId);
}
