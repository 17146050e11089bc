package io.keyhook.credentials.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Roles;
import io.keyhook.credentials.service.LeaseService;
import io.smallrye.mutiny.Uni;

/** Internal, service-authenticated: webhook-config-service leases the secrets its webhooks use. */
@Path("/internal/v1/webhooks/{webhookId}/leases")
@RolesAllowed(Roles.SERVICE)
@Tag(name = "Secret leases (internal)", description = "Which webhook uses which secret; only Keyhook services may call it")
public class LeaseResource {

    @Inject
    LeaseService service;

    @GET
    @Operation(summary = "The secrets a webhook holds")
    public Uni<LeaseResponse> get(@PathParam("webhookId") @Pattern(regexp = Patterns.OBJECT_ID) String webhookId) {
        return service.get(webhookId);
    }

    @PUT
    @Operation(summary = "Replace a webhook's leases atomically", description = "422 secret_not_usable when a secret is not an active secret of an active client of the Environment;"
            + " 422 secret_pinned_elsewhere when a secret of the disclosure was already sent to another site for token exchange"
            + " (the problem's disclosedTo maps each such secret to its site). The first token-exchange lease of a secret pins it to the disclosure's site for good.")
    public Uni<LeaseResponse> set(@PathParam("webhookId") @Pattern(regexp = Patterns.OBJECT_ID) String webhookId,
            @NotNull @Valid LeaseSetRequest request) {
        return service.set(webhookId, request);
    }

    @DELETE
    @Operation(summary = "Release every lease of a webhook (idempotent)")
    public Uni<Void> release(@PathParam("webhookId") @Pattern(regexp = Patterns.OBJECT_ID) String webhookId) {
        return service.releaseAll(webhookId);
    }
}
