package io.keyhook.token.client;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** credentials-service's internal API, as token-service calls it (role keyhook-service). */
@RegisterRestClient(configKey = "credentials")
@Path("/internal/v1")
public interface CredentialsApi {

    /** One use of a secret, for lastUsedAt. */
    record SecretUse(String secretId, Instant usedAt) {
    }

    /** The batch the usage API takes. */
    record SecretUsage(List<SecretUse> uses) {
    }

    /** The client's current state record, as published on keyhook.credentials; 404 when there is none. */
    @GET
    @Path("/clients/{clientId}")
    Uni<Response> client(@HeaderParam("Authorization") String authorization, @PathParam("clientId") String clientId);

    @POST
    @Path("/secret-usage")
    Uni<Response> reportUsage(@HeaderParam("Authorization") String authorization, SecretUsage usage);
}
