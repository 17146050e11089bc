package io.keyhook.token.client;

import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.service.ServiceToken;
import io.keyhook.token.view.ClientRecord;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;

/**
 * credentials-service behind a timeout ({@code keyhook.token.credentials.timeout}) and a circuit breaker: a slow or
 * dead credentials-service costs at most the timeout, then the circuit opens for 5 s and calls fail at once.
 */
@ApplicationScoped
public class GuardedCredentialsApi {

    @Inject
    @RestClient
    CredentialsApi api;

    @Inject
    ServiceToken serviceToken;

    @Inject
    ObjectMapper json;

    @Inject
    TokenConfig config;

    /** The client's current record, or empty when credentials-service does not know it. Fails when unreachable. */
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @CircuitBreakerName("credentials-lookup")
    public Uni<Optional<ClientRecord>> client(String clientId) {
        return statusOf(api.client(serviceToken.bearer(), clientId)).map(r -> {
            try {
                if (r.getStatus() == 404) {
                    return Optional.<ClientRecord> empty();
                }
                if (r.getStatus() != 200) {
                    throw new IllegalStateException("credentials-service answered " + r.getStatus());
                }
                return Optional.of(json.readValue(r.readEntity(String.class), ClientRecord.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("credentials-service sent an unreadable client record", e);
            } finally {
                r.close();
            }
        }).ifNoItem().after(config.credentials().timeout()).fail();
    }

    /** Reports secret uses for lastUsedAt. */
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS)
    @CircuitBreakerName("credentials-usage")
    public Uni<Void> reportUsage(CredentialsApi.SecretUsage usage) {
        return statusOf(api.reportUsage(serviceToken.bearer(), usage)).map(r -> {
            try {
                if (r.getStatus() / 100 != 2) {
                    throw new IllegalStateException("credentials-service answered " + r.getStatus());
                }
                return null;
            } finally {
                r.close();
            }
        }).ifNoItem().after(config.credentials().timeout()).fail().replaceWithVoid();
    }

    /** The response whatever its status: the REST client turns 4xx/5xx into exceptions, which would hide a 404. */
    private static Uni<Response> statusOf(Uni<Response> call) {
        return call.onFailure(WebApplicationException.class).recoverWithItem(WebApplicationException::getResponse);
    }
}
