package io.keyhook.webhooks.client;

import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** credentials-service's internal lease API (role keyhook-service). */
@RegisterRestClient(configKey = "credentials")
@Path("/internal/v1/webhooks/{webhookId}/leases")
public interface LeaseApi {

    /** The set of secrets a webhook holds, replaced atomically. */
    record LeaseSet(String environment, List<String> secretIds) {
    }

    @PUT
    Uni<Response> set(@HeaderParam("Authorization") String authorization, @PathParam("webhookId") String webhookId,
            LeaseSet leases);

    @DELETE
    Uni<Response> release(@HeaderParam("Authorization") String authorization, @PathParam("webhookId") String webhookId);
}
