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
    @Operation(summary = "Create an API client", description = "authMethod client_secret (the default): the response carries the first"
            + " secret's value; it is never shown again. authMethod private_key_jwt: no secret; exactly one of jwks (checked: 1 to 10"
            + " public RSA >= 2048 bits, EC P-256/P-384/P-521 or Ed25519 signing keys with unique kids) or jwksUri (https, checked"
            + " like webhook destinations); a refusal is a 400 problem with a stable code (jwks_*, jwks_uri_*, auth_method_invalid,"
            + " jwks_required, jwks_conflict, keys_not_allowed).")
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
    @Operation(summary = "Rename or describe an API client, or replace a private_key_jwt client's keys", description = "jwks or"
            + " jwksUri replaces the client's keys (checked as on create; 409 not_private_key_jwt for a client_secret client)."
            + " authMethod cannot be switched: a value other than the client's is a 409 auth_method_immutable.")
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
    @Operation(summary = "Create another secret", description = "Active at once; the value is shown only in this response."
            + " 409 client_uses_private_key_jwt for a private_key_jwt client, which has no secrets.")
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
