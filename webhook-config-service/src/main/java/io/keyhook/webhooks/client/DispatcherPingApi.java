package io.keyhook.webhooks.client;

import java.util.List;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.keyhook.common.client.ServiceCall;
import io.keyhook.common.client.ServiceResponseMapper;
import io.keyhook.common.client.ServiceTokenFilter;
import io.smallrye.mutiny.Uni;

/**
 * webhook-dispatcher's verification ping, with this service's own token: one {@code keyhook.ping} signed only with the
 * secrets named. Not retried (a second ping is the receiver's second message); the timeout covers the dispatcher's own
 * delivery deadline (15 s by default) and a receiver token fetch.
 */
@RegisterRestClient(configKey = "dispatcher")
@RegisterProvider(ServiceTokenFilter.class)
@ServiceCall
@RegisterProvider(ServiceResponseMapper.class)
@Path("/internal/v1/environments/{env}/webhooks/{webhookId}/ping")
public interface DispatcherPingApi {

    /** Signed with {@code secretIds} (API client secrets) or {@code signingKeyIds} (the webhook's own keys). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PingBody(List<String> secretIds, List<String> signingKeyIds, String purpose) {
    }

    /** What the receiver answered; {@code delivered} is a 2xx. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PingResult(String messageId, boolean delivered, Integer statusCode, String error, int latencyMs) {
    }

    @POST
    @Timeout(40000)
    Uni<PingResult> ping(@PathParam("env") String env, @PathParam("webhookId") String webhookId, PingBody body);
}
