package io.keyhook.token.client;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.ws.rs.GET;
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

import io.keyhook.common.client.ServiceCall;
import io.keyhook.common.client.ServiceResponseMapper;
import io.keyhook.common.client.ServiceTokenFilter;
import io.keyhook.common.client.ServiceUnavailable;
import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.core.error.ProblemException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;

/**
 * credentials-service's internal API, as token-service calls it (role keyhook-service, {@link SelfIssuedServiceToken};
 * a call answered 401 is made once more with a new token, see {@link ServiceCall}). A slow or dead credentials-service
 * costs at most the timeout; then the circuit opens and calls fail at once, so the token endpoint fails closed quickly.
 * Both calls are idempotent: a failure to connect or a 5xx is retried once, and so is a lookup that timed out (a
 * replica's first lookup loads and compiles the whole client path, which on a busy node can take longer than the
 * timeout; the retry then runs warm), so one lookup waits about 4 s at worst.
 */
@RegisterRestClient(configKey = "credentials")
@RegisterProvider(ServiceTokenFilter.class)
@ServiceCall
@RegisterProvider(ServiceResponseMapper.class)
@Path("/internal/v1")
public interface CredentialsApi {

    /** One use of a secret, for lastUsedAt. */
    record SecretUse(String secretId, Instant usedAt) {
    }

    /** The batch the usage API takes. */
    record SecretUsage(List<SecretUse> uses) {
    }

    /** One use of a private_key_jwt client's key (by its kid), for the key's firstUsedAt and lastUsedAt. */
    record KeyUse(String clientId, String kid, Instant usedAt) {
    }

    /** The batch the key-usage API takes. */
    record KeyUsage(List<KeyUse> uses) {
    }

    /** The client's current state record, as published on keyhook.credentials; a 404 problem when there is none. */
    @GET
    @Path("/clients/{clientId}")
    @Timeout(2000)
    @Retry(maxRetries = 1, delay = 50, maxDuration = 3000, retryOn = { ServiceUnavailable.class,
            ProcessingException.class, TimeoutException.class })
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    @CircuitBreakerName("credentials-lookup")
    Uni<ClientStateRecord> client(@PathParam("clientId") String clientId);

    /** Reports secret uses for lastUsedAt (a later report carries the same uses again if this one fails). */
    @POST
    @Path("/secret-usage")
    @Timeout(2000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    @CircuitBreakerName("credentials-usage")
    Uni<Void> reportUsage(SecretUsage usage);

    /** Reports key uses for firstUsedAt/lastUsedAt (a later report carries the same uses again if this one fails). */
    @POST
    @Path("/key-usage")
    @Timeout(2000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    @CircuitBreakerName("credentials-key-usage")
    Uni<Void> reportKeyUsage(KeyUsage usage);
}
