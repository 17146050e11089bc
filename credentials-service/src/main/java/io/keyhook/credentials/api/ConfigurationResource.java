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
    @APIResponse(responseCode = "200", description = "Updated (a new version) or unchanged", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ConfigurationResponse.class)))
    @APIResponse(responseCode = "201", description = "Created (version 1), with its Location", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ConfigurationResponse.class)))
    @Operation(summary = "Create or publish a new version of a Configuration", description = "Each change of the data types bumps the version. 201 when this request created it, 200 when it updated it or changed nothing.")
    public Uni<RestResponse<ConfigurationResponse>> put(
            @PathParam("name") @Pattern(regexp = Patterns.CONFIGURATION_NAME) String name,
            @NotNull @Valid ConfigurationRequest request) {
        // as POST /environments: creating answers 201 with a Location, so a client can tell it made something new
        return service.put(name, request.dataTypes())
                .map(p -> p.created()
                        ? Responses.created("/api/v1/configurations/" + p.configuration().name(), p.configuration())
                        : RestResponse.ok(p.configuration()));
    }
}
