package io.keyhook.credentials.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Roles;
import io.keyhook.credentials.service.SecretUsageService;
import io.smallrye.mutiny.Uni;

/** Internal, service-authenticated: token-service reports when secrets were last used. */
@Path("/internal/v1/secret-usage")
@RolesAllowed(Roles.SERVICE)
@Tag(name = "Secret usage (internal)", description = "Feeds lastUsedAt; only Keyhook services may call it")
public class SecretUsageResource {

    @Inject
    SecretUsageService service;

    /** How many secrets' lastUsedAt moved forward. */
    public record UsageResponse(int updated) {
    }

    @POST
    @Operation(summary = "Record secret use", description = "lastUsedAt only moves forward; times in the future count as now.")
    public Uni<UsageResponse> report(@NotNull @Valid SecretUsageRequest request) {
        return service.record(request.uses()).map(UsageResponse::new);
    }
}
