package io.keyhook.dispatcher.api;

import java.time.Instant;
import java.util.List;

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
import io.keyhook.core.error.ProblemException;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DroppedEventIds;
import io.keyhook.dispatcher.persistence.EventTrail;
import io.smallrye.mutiny.Uni;

/** What became of one event, by the CloudEvent id its data service published it with. */
@Path("/api/v1/environments/{env}/events/{eventId}")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Deliveries")
public class EventTrailResource {

    static final String DELIVERED_TO_WEBHOOKS = "delivered_to_webhooks";

    /**
     * One delivery of the event: {@code reason} is {@code paused} for a held one (sent when the webhook is resumed).
     */
    public record TrailDelivery(String webhookId, String deliveryId, String status, int attempts, Integer lastStatus,
            Instant lastAttemptAt, String reason) {
    }

    /**
     * The event's trail. {@code disposition}: {@code delivered_to_webhooks} (see {@code deliveries}), {@code dropped}
     * ({@code reason} not_opted_in, unknown_type or no_webhook) or {@code dead_lettered} ({@code reason} the
     * dead-letter reason, {@code detail} why).
     */
    public record Trail(String eventId, String environment, String type, String subject, String resourceId,
            Instant receivedAt, String disposition, String reason, String detail, List<TrailDelivery> deliveries) {
    }

    @Inject
    EventTrail trail;

    @Inject
    DroppedEventIds dropped;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Follow one event by its CloudEvent id", description = "Every webhook the event went to with each delivery's status and attempts (a held one has reason paused); or why it went nowhere (dropped: not_opted_in, unknown_type, no_webhook); or that it was dead-lettered, with the reason. Kept for the delivery log's retention. 404 event_not_found otherwise (another Environment's event included).")
    public Uni<Trail> get(@PathParam("env") @Pattern(regexp = DeliveryResource.ENV) String env,
            @PathParam("eventId") @Pattern(regexp = DeliveryResource.EVENT_ID) String eventId) {
        caller.requireEnvironment(env);
        return trail.deliveries(env, eventId).chain(sent -> {
            if (!sent.isEmpty()) {
                EventTrail.Sent first = sent.get(0);
                // with per-record ordering the ordering key is the subject; without, it is the delivery's own id
                String subject = first.subject() == null || first.subject().equals(first.deliveryId()) ? null
                        : first.subject();
                return Uni.createFrom()
                        .item(new Trail(eventId, env, first.type(), subject, first.resourceId(), first.createdAt(),
                                DELIVERED_TO_WEBHOOKS, null, null,
                                sent.stream()
                                        .map(s -> new TrailDelivery(s.webhookId(), s.deliveryId(), s.status(),
                                                s.attempts(), s.lastStatus(), s.lastAttemptAt(),
                                                DeliveryRow.HELD.equals(s.status()) ? "paused" : null))
                                        .toList()));
            }
            return dropped.find(env, eventId).map(d -> {
                if (d == null) {
                    throw ProblemException.notFound("event_not_found", "No event " + eventId
                            + " in this Environment within the delivery log's retention (or it was not read yet).");
                }
                return new Trail(eventId, env, d.type(), d.subject(), d.resourceId(), d.receivedAt(), d.disposition(),
                        d.reason(), d.detail(), List.of());
            });
        });
    }
}
