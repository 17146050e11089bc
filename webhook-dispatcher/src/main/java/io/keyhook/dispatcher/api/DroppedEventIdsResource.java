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
import io.keyhook.dispatcher.persistence.DroppedEventIds;
import io.smallrye.mutiny.Uni;

/** The Environment's most recent events that went nowhere, one by one with their ids (the counts: dropped-events). */
@Path("/api/v1/environments/{env}/dropped-events/recent")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Deliveries")
public class DroppedEventIdsResource {

    /** A page, newest first; {@code nextCursor} null on the last page. */
    public record RecentPage(List<DroppedEventIds.Dropped> items, String nextCursor) {
    }

    @Inject
    DroppedEventIds dropped;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "The Environment's dropped and dead-lettered events with their ids, newest first", description = "Each with eventId, disposition (dropped | dead_lettered), reason (no_webhook, not_opted_in, unknown_type, or the dead-letter reason), detail, type, subject, resourceId, receivedAt. Filter reason; keyset paging (cursor from nextCursor, limit 1-500, default 50). Kept for the delivery log's retention; written at most keyhook.dispatcher.dropped-events-flush (5 s) after the event was read.")
    public Uni<RecentPage> recent(@PathParam("env") @Pattern(regexp = DeliveryResource.ENV) String env,
            @QueryParam("reason") @Pattern(regexp = "^[a-z_]{1,32}$") String reason,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        caller.requireEnvironment(env);
        int n = QueryParams.integer("limit", limit, 50, 1, 500);
        return dropped.recent(env, reason, DeliveryCursor.parse(cursor), n + 1).map(found -> {
            List<DroppedEventIds.Listed> rows = found.size() > n ? found.subList(0, n) : found;
            return new RecentPage(rows.stream().map(DroppedEventIds.Listed::dropped).toList(),
                    found.size() > n ? DeliveryCursor.of(rows.get(rows.size() - 1).seq()) : null);
        });
    }
}
