package io.keyhook.credentials.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import io.keyhook.credentials.service.EnvironmentService;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/environments")
@Tag(name = "Environments", description = "Environments and their published Configuration")
public class EnvironmentResource {

    @Inject
    EnvironmentService service;

    @GET
    @RolesAllowed({ Roles.PLATFORM_OPERATOR, Roles.INTEGRATION_ADMIN })
    @Operation(summary = "List the Environments the caller may touch")
    public Uni<List<EnvironmentResponse>> list() {
        return service.list();
    }

    @POST
    @RolesAllowed(Roles.PLATFORM_OPERATOR)
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = EnvironmentResponse.class)))
    @Operation(summary = "Create an Environment and publish a Configuration to it")
    public Uni<RestResponse<EnvironmentResponse>> create(@NotNull @Valid EnvironmentCreateRequest request) {
        return service.create(request).map(e -> Responses.created("/api/v1/environments/" + e.id(), e));
    }

    @GET
    @Path("/{env}")
    @RolesAllowed({ Roles.PLATFORM_OPERATOR, Roles.INTEGRATION_ADMIN })
    @Operation(summary = "Get an Environment")
    public Uni<EnvironmentResponse> get(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env) {
        return service.get(env);
    }

    @PATCH
    @Path("/{env}")
    @RolesAllowed(Roles.PLATFORM_OPERATOR)
    @Operation(summary = "Rename an Environment or publish another Configuration to it")
    public Uni<EnvironmentResponse> patch(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @NotNull @Valid EnvironmentPatchRequest request) {
        return service.patch(env, request);
    }
}
