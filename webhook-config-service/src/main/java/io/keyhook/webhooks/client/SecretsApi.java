package io.keyhook.webhooks.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** credentials-service's secret endpoints a guided rotation needs. */
@RegisterRestClient(configKey = "credentials")
public interface SecretsApi {

    /** The admin API, called with the admin's own token: the new secret is created under their authority. */
    @POST
    @Path("/api/v1/environments/{env}/clients/{clientId}/secrets")
    Uni<Response> create(@HeaderParam("Authorization") String adminBearer, @PathParam("env") String env,
            @PathParam("clientId") String clientId);

    /** The client's secrets (never their values), with the admin's token. */
    @GET
    @Path("/api/v1/environments/{env}/clients/{clientId}/secrets")
    Uni<Response> list(@HeaderParam("Authorization") String adminBearer, @PathParam("env") String env,
            @PathParam("clientId") String clientId);

    /** The internal API (role keyhook-service): finishing may happen later, in the background. */
    @POST
    @Path("/internal/v1/environments/{env}/clients/{clientId}/secrets/{secretId}/invalidate")
    Uni<Response> invalidate(@HeaderParam("Authorization") String serviceBearer, @PathParam("env") String env,
            @PathParam("clientId") String clientId, @PathParam("secretId") String secretId);
}
