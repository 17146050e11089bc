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
import io.keyhook.credentials.service.AdminClientService;
import io.keyhook.credentials.service.ClientRef;
import io.keyhook.credentials.service.SecretService;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/admin-clients")
@RolesAllowed(Roles.PLATFORM_OPERATOR)
@Tag(name = "Admin clients", description = "Service accounts of integration admins and automation; platform operators only")
public class AdminClientResource {

    @Inject
    AdminClientService clients;

    @Inject
    SecretService secrets;

    @GET
    @Operation(summary = "List admin clients")
    public Uni<List<AdminClientResponse>> list() {
        return clients.list();
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = AdminClientResponse.class)))
    @Operation(summary = "Create an admin client", description = "The response carries the first secret's value; it is never shown again.")
    public Uni<RestResponse<AdminClientResponse>> create(@NotNull @Valid AdminClientCreateRequest request) {
        return clients.create(request).map(c -> Responses.created("/api/v1/admin-clients/" + c.clientId(), c));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an admin client")
    public Uni<AdminClientResponse> get(@PathParam("id") @Pattern(regexp = Patterns.OBJECT_ID) String id) {
        return clients.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change an admin client's name, description, groups or environments")
    public Uni<AdminClientResponse> patch(@PathParam("id") @Pattern(regexp = Patterns.OBJECT_ID) String id,
            @NotNull @Valid AdminClientPatchRequest request) {
        return clients.patch(id, request);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Disable an admin client")
    public Uni<AdminClientResponse> disable(@PathParam("id") @Pattern(regexp = Patterns.OBJECT_ID) String id) {
        return clients.disable(id);
    }

    @GET
    @Path("/{id}/secrets")
    @Operation(summary = "List an admin client's secrets (never their values)")
    public Uni<List<SecretResponse>> secrets(@PathParam("id") @Pattern(regexp = Patterns.OBJECT_ID) String id) {
        return secrets.list(ClientRef.admin(id));
    }

    @POST
    @Path("/{id}/secrets")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SecretCreatedResponse.class)))
    @Operation(summary = "Create another secret for an admin client")
    public Uni<RestResponse<SecretCreatedResponse>> createSecret(
            @PathParam("id") @Pattern(regexp = Patterns.OBJECT_ID) String id) {
        return secrets.create(ClientRef.admin(id)).map(s -> RestResponse.status(RestResponse.Status.CREATED, s));
    }

    @POST
    @Path("/{id}/secrets/{secretId}/invalidate")
    @Operation(summary = "Invalidate an admin client's secret")
    public Uni<SecretResponse> invalidate(@PathParam("id") @Pattern(regexp = Patterns.OBJECT_ID) String id,
            @PathParam("secretId") @Pattern(regexp = Patterns.SECRET_ID) String secretId) {
        return secrets.invalidate(ClientRef.admin(id), secretId);
    }
}
