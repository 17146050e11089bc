package io.keyhook.dispatcher.api;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.dispatcher.persistence.BreakerStore;
import io.keyhook.dispatcher.persistence.DroppedEvents;
import io.smallrye.mutiny.Uni;

/** What an Environment's admins need to see about its deliveries as a whole: events that became none. */
@Path("/api/v1/environments/{env}")
@Tag(name = "Deliveries", description = "What was sent to a webhook, every attempt, and redelivery")
public class EnvironmentDeliveryResource {

    /** Every reason and type with at least one dropped event, most recent first. */
    public record DroppedEventsResponse(List<DroppedEvents.Count> items) {
    }

    /** The webhooks whose breaker is not closed, by webhook id. */
    public record BreakersResponse(Map<String, BreakerStore.Breaker> breakers) {
    }

    @Inject
    DroppedEvents dropped;

    @Inject
    BreakerStore breakers;

    @Inject
    Caller caller;

    @GET
    @Path("/dropped-events")
    @RolesAllowed(Roles.INTEGRATION_ADMIN)
    @Operation(summary = "Events that became no delivery, by reason and type", description = "Reasons: no_webhook (the Environment has none), not_opted_in (no webhook is opted in to the type), unknown_type (the Configuration does not offer the type; dead-lettered, counted without its type). Counted by every dispatcher replica since the Environment's first such event; at most keyhook.dispatcher.dropped-events-flush (5 s) behind.")
    public Uni<DroppedEventsResponse> droppedEvents(
            @PathParam("env") @Pattern(regexp = DeliveryResource.ENV) String env) {
        caller.requireEnvironment(env);
        return dropped.of(env).map(DroppedEventsResponse::new);
    }

    @GET
    @Path("/breakers")
    @RolesAllowed({ Roles.INTEGRATION_ADMIN, Roles.SERVICE })
    @Operation(summary = "The webhooks whose circuit breaker is open or half-open", description = "webhook-config-service shows these in its webhook answers; a webhook not listed has its breaker closed.")
    public Uni<BreakersResponse> breakers(@PathParam("env") @Pattern(regexp = DeliveryResource.ENV) String env) {
        caller.requireEnvironment(env);
        return breakers.notClosed(env).map(BreakersResponse::new);
    }
}
