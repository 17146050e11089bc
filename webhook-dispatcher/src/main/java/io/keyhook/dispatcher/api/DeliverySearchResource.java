package io.keyhook.dispatcher.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.dispatcher.persistence.DeliveryLog;
import io.keyhook.dispatcher.persistence.DeliverySearch;
import io.smallrye.mutiny.Uni;

/** The whole Environment's delivery log, searched: which deliveries a record, an event or a webhook-id became. */
@Path("/api/v1/environments/{env}/deliveries")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Deliveries")
public class DeliverySearchResource {

    /** A page of deliveries, newest first; {@code nextCursor} null on the last page. */
    public record DeliveriesPage(List<DeliveryResource.Delivery> items, String nextCursor) {
    }

    @Inject
    DeliverySearch search;

    @Inject
    DeliveryLog log;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Search the Environment's delivery log, newest first", description = "Filters (all optional, combined with and): webhookId, resourceId (the event's data.resourceId; deliveries stored before issue 31 have none), eventId (the CloudEvent id), messageId (the webhook-id header a receiver got), status (pending, held, delivered, failed, expired). Keyset paging: pass nextCursor back as cursor; limit 1-500 (default 50). Each filter is served by an index (docs/deliveries.md).")
    public Uni<DeliveriesPage> search(@PathParam("env") @Pattern(regexp = DeliveryResource.ENV) String env,
            @QueryParam("webhookId") @Pattern(regexp = DeliveryResource.WEBHOOK) String webhookId,
            @QueryParam("resourceId") @Pattern(regexp = DeliveryResource.RESOURCE_ID) String resourceId,
            @QueryParam("eventId") @Pattern(regexp = DeliveryResource.EVENT_ID) String eventId,
            @QueryParam("messageId") @Pattern(regexp = DeliveryResource.EVENT_ID) String messageId,
            @QueryParam("status") @Pattern(regexp = DeliveryResource.STATUS) String status,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        caller.requireEnvironment(env);
        DeliverySearch.Filter filter = new DeliverySearch.Filter(env, webhookId, status, null, null, null, resourceId,
                eventId, messageId, DeliveryCursor.parse(cursor));
        return DeliveryResource.page(search, log, filter, QueryParams.integer("limit", limit, 50, 1, 500));
    }
}
