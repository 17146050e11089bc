package io.keyhook.credentials.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.keyhook.common.api.Responses;
import io.keyhook.common.security.Roles;
import io.keyhook.credentials.service.ClientRef;
import io.keyhook.credentials.service.ClientService;
import io.keyhook.credentials.service.SecretService;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/environments/{env}/clients")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Clients", description = "API clients (Apps and Integrations) of an Environment and their secrets")
public class ClientResource {

    @Inject
    ClientService clients;

    @Inject
    SecretService secrets;

    @GET
    @Operation(summary = "List the Environment's API clients")
    public Uni<List<ClientResponse>> list(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env) {
        return clients.list(env);
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ClientResponse.class)))
    @Operation(summary = "Create an API client", description = "The response carries the first secret's value; it is never shown again.")
    public Uni<RestResponse<ClientResponse>> create(
            @PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @NotNull @Valid ClientCreateRequest request) {
        return clients.create(env, request)
                .map(c -> Responses.created("/api/v1/environments/" + env + "/clients/" + c.clientId(), c));
    }

    @GET
    @Path("/{clientId}")
    @Operation(summary = "Get an API client")
    public Uni<ClientResponse> get(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId) {
        return clients.get(env, clientId);
    }

    @PATCH
    @Path("/{clientId}")
    @Operation(summary = "Rename or describe an API client")
    public Uni<ClientResponse> patch(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId,
            @NotNull @Valid ClientPatchRequest request) {
        return clients.patch(env, clientId, request);
    }

    @DELETE
    @Path("/{clientId}")
    @Operation(summary = "Disable an API client", description = "None of its secrets issue tokens any more. 409 while a webhook uses one of its secrets.")
    public Uni<ClientResponse> disable(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId) {
        return clients.disable(env, clientId);
    }

    @GET
    @Path("/{clientId}/secrets")
    @Operation(summary = "List a client's secrets (never their values)")
    public Uni<List<SecretResponse>> secrets(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId) {
        return secrets.list(ClientRef.api(env, clientId));
    }

    @POST
    @Path("/{clientId}/secrets")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SecretCreatedResponse.class)))
    @Operation(summary = "Create another secret", description = "Active at once; the value is shown only in this response.")
    public Uni<RestResponse<SecretCreatedResponse>> createSecret(
            @PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId) {
        return secrets.create(ClientRef.api(env, clientId))
                .map(s -> RestResponse.status(RestResponse.Status.CREATED, s));
    }

    @POST
    @Path("/{clientId}/secrets/{secretId}/invalidate")
    @Operation(summary = "Invalidate a secret", description = "409 naming the webhooks while any webhook uses it.")
    public Uni<SecretResponse> invalidate(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId,
            @PathParam("secretId") @Pattern(regexp = Patterns.SECRET_ID) String secretId) {
        return secrets.invalidate(ClientRef.api(env, clientId), secretId);
    }
}
