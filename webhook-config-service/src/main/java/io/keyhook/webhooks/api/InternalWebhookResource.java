package io.keyhook.webhooks.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Roles;
import io.keyhook.webhooks.service.WebhookService;
import io.smallrye.mutiny.Uni;

/** Internal, service-authenticated: the dispatcher reports a receiver that answered 410 Gone. */
@Path("/internal/v1/webhooks/{id}/disable")
@RolesAllowed(Roles.SERVICE)
@Tag(name = "Webhooks (internal)", description = "Only Keyhook services may call it")
public class InternalWebhookResource {

    /** Why the webhook is being disabled, shown in the audit trail. */
    public record DisableRequest(@NotBlank @Size(max = 300) String reason) {
    }

    @Inject
    WebhookService service;

    @POST
    @Operation(summary = "Pause a webhook whose receiver is gone", description = "Events are held, not lost; the audit trail says why.")
    public Uni<WebhookResponse> disable(@PathParam("id") @Pattern(regexp = WebhookResource.ID) String id,
            @NotNull @Valid DisableRequest body) {
        return service.disableGone(id, body.reason());
    }
}
