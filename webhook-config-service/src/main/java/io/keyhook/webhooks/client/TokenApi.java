package io.keyhook.webhooks.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** token-service's token endpoint, for this service's own bearer token. */
@RegisterRestClient(configKey = "token")
public interface TokenApi {

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<Response> token(@HeaderParam("Authorization") String basic, @FormParam("grant_type") String grantType);
}
