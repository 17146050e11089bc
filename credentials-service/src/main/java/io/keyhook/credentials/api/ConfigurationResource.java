package io.keyhook.credentials.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import io.keyhook.credentials.service.ConfigurationService;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/configurations")
@Tag(name = "Configurations", description = "The registry of Configurations; written by platform operators only")
public class ConfigurationResource {

    @Inject
    ConfigurationService service;

    @GET
    @RolesAllowed({ Roles.PLATFORM_OPERATOR, Roles.INTEGRATION_ADMIN })
    @Operation(summary = "List Configurations")
    public Uni<List<ConfigurationResponse>> list() {
        return service.list();
    }

    @POST
    @RolesAllowed(Roles.PLATFORM_OPERATOR)
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ConfigurationResponse.class)))
    @Operation(summary = "Register a Configuration (version 1)")
    public Uni<RestResponse<ConfigurationResponse>> create(@NotNull @Valid ConfigurationCreateRequest request) {
        return service.create(request.name(), request.dataTypes())
                .map(c -> Responses.created("/api/v1/configurations/" + c.name(), c));
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({ Roles.PLATFORM_OPERATOR, Roles.INTEGRATION_ADMIN })
    @Operation(summary = "Get a Configuration")
    public Uni<ConfigurationResponse> get(
            @PathParam("name") @Pattern(regexp = Patterns.CONFIGURATION_NAME) String name) {
        return service.get(name);
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed(Roles.PLATFORM_OPERATOR)
    @Operation(summary = "Create or publish a new version of a Configuration", description = "Each change of the data types bumps the version.")
    public Uni<ConfigurationResponse> put(@PathParam("name") @Pattern(regexp = Patterns.CONFIGURATION_NAME) String name,
            @NotNull @Valid ConfigurationRequest request) {
        return service.put(name, request.dataTypes());
    }
}
