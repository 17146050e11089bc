package io.keyhook.webhooks.api;

import java.time.Instant;

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
import io.keyhook.webhooks.service.WebhookDisabler;
import io.smallrye.mutiny.Uni;

/** Internal, service-authenticated: the dispatcher reports a receiver that answered 410 Gone or kept failing. */
@Path("/internal/v1/webhooks/{id}/disable")
@RolesAllowed(Roles.SERVICE)
@Tag(name = "Webhooks (internal)", description = "Only Keyhook services may call it")
public class InternalWebhookResource {

    /**
     * Why the webhook is being disabled, shown in the audit trail; {@code code} {@code gone} (the default: the receiver
     * answered 410) or {@code failing} (auto-disable, issue 31); {@code failingSince}, when known, goes into the
     * {@code keyhook.webhook.disabled} event.
     */
    public record DisableRequest(@NotBlank @Size(max = 300) String reason,
            @Pattern(regexp = "^(failing|gone)$") String code, Instant failingSince) {
    }

    @Inject
    WebhookDisabler disabler;

    @POST
    @Operation(summary = "Pause a webhook whose receiver is gone or that kept failing", description = "Events are held,"
            + " not lost; pausedReason is the code (gone when absent); audited; keyhook.webhook.disabled is emitted."
            + " 409 operational_webhook_not_disabled for code failing on the operational webhook.")
    public Uni<WebhookResponse> disable(@PathParam("id") @Pattern(regexp = WebhookResource.ID) String id,
            @NotNull @Valid DisableRequest body) {
        return disabler.disable(id, body.reason(), body.code(), body.failingSince());
    }
}
