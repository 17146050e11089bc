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
import io.keyhook.credentials.service.KeyUsageService;
import io.smallrye.mutiny.Uni;

/** Internal, service-authenticated: token-service reports when private_key_jwt clients' keys were used. */
@Path("/internal/v1/key-usage")
@RolesAllowed(Roles.SERVICE)
@Tag(name = "Key usage (internal)", description = "Feeds the keys' firstUsedAt and lastUsedAt; only Keyhook services may call it")
public class KeyUsageResource {

    @Inject
    KeyUsageService service;

    /** How many keys got their first use recorded or a time moved. */
    public record KeyUsageResponse(int updated) {
    }

    @POST
    @Operation(summary = "Record key use", description = "Per (clientId, kid): firstUsedAt is set once and never moves later,"
            + " lastUsedAt only moves forward; times in the future count as now; unknown clients are ignored."
            + " At most 500 uses per call.")
    public Uni<KeyUsageResponse> report(@NotNull @Valid KeyUsageRequest request) {
        return service.record(request.uses()).map(KeyUsageResponse::new);
    }
}
