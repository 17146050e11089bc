package io.keyhook.webhooks.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** credentials-service's Environment read, asked with the admin's own token (their access rules apply). */
@RegisterRestClient(configKey = "credentials")
interface EnvironmentsApi {

    @GET
    @Path("/api/v1/environments/{env}")
    Uni<Response> get(@HeaderParam("Authorization") String adminBearer, @PathParam("env") String env);
}
