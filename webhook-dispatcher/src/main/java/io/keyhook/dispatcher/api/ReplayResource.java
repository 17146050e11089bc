package io.keyhook.dispatcher.api;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.error.ProblemException;
import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.smallrye.mutiny.Uni;

/** Re-sends what a webhook was sent (or failed to get) in a time range. */
@Path("/api/v1/environments/{env}/webhooks/{webhookId}/replay")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Deliveries")
public class ReplayResource {

    /** The range, ISO-8601 instants, {@code from} inclusive, {@code to} exclusive. */
    public record ReplayRequest(String from, String to) {
    }

    /** How many deliveries were queued again. */
    public record ReplayResponse(int replayed) {
    }

    @Inject
    DeliveryStore store;

    @Inject
    Caller caller;

    @POST
    @Operation(summary = "Send again every delivered or failed delivery created in [from, to)", description = "Same body and webhook-id; new attempts; per-record order kept.")
    public Uni<ReplayResponse> replay(@PathParam("env") @Pattern(regexp = DeliveryResource.ENV) String env,
            @PathParam("webhookId") @Pattern(regexp = DeliveryResource.WEBHOOK) String webhookId,
            @NotNull @Valid ReplayRequest body) {
        caller.requireEnvironment(env);
        if (body.from() == null || body.from().isBlank() || body.to() == null || body.to().isBlank()) {
            // checked here, not left to the parser, which reads an empty value as "absent"
            throw ProblemException.badRequest("range_required",
                    "from and to are required: ISO-8601 instants, e.g. 2026-01-31T12:00:00Z");
        }
        Instant from = QueryParams.instant("from", body.from());
        Instant to = QueryParams.instant("to", body.to());
        if (!from.isBefore(to)) {
            throw ProblemException.unprocessable("invalid_range", "from must be before to");
        }
        return store.replay(env, webhookId, from, to).map(ReplayResponse::new);
    }
}
