package io.keyhook.dispatcher.api;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.Ids;
import io.keyhook.core.id.NotificationTypes;
import io.keyhook.dispatcher.persistence.BreakerStore;
import io.keyhook.dispatcher.persistence.DeliveryLog;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliverySearch;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.smallrye.mutiny.Uni;

/** The delivery log of a webhook, and redelivery. */
@Path("/api/v1/environments/{env}/webhooks/{webhookId}/deliveries")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Deliveries", description = "What was sent to a webhook, every attempt, and redelivery")
public class DeliveryResource {

    static final String ENV = Ids.ENVIRONMENT;
    static final String WEBHOOK = Ids.WEBHOOK;
    static final String DELIVERY = Ids.DELIVERY;

    /**
     * A delivery in the log; {@code traceId} finds its attempts in the tracing backend and the logs. The list shows
     * each delivery's {@code lastAttempt}; one delivery also has its whole {@code attemptLog}.
     */
    public record Delivery(String id, String webhookId, String eventId, String webhookMessageId, String type,
            String status, int attempts, Instant nextAttemptAt, Instant createdAt, String traceId,
            DeliveryLog.AttemptRow lastAttempt, List<DeliveryLog.AttemptRow> attemptLog, String resourceId) {

        static Delivery of(DeliveryRow d, List<DeliveryLog.AttemptRow> attempts) {
            return of(d, attempts == null || attempts.isEmpty() ? null : attempts.get(attempts.size() - 1), attempts);
        }

        static Delivery of(DeliveryRow d, DeliveryLog.AttemptRow last, List<DeliveryLog.AttemptRow> attempts) {
            return new Delivery(d.id(), d.webhookId(), d.eventId(), d.msgId(), d.type(), d.status(), d.attempts(),
                    DeliveryRow.PENDING.equals(d.status()) ? d.nextAttemptAt() : null, d.createdAt(), d.traceId(), last,
                    attempts, d.resourceId());
        }
    }

    /**
     * A page; {@code nextCursor} null on the last page. {@code breaker} is the webhook's circuit breaker now: while it
     * is {@code open}, nothing is attempted before {@code openUntil} (deliveries wait as {@code pending}).
     */
    public record Page(List<Delivery> items, String nextCursor, BreakerStore.Breaker breaker) {
    }

    @Inject
    DeliveryStore store;

    @Inject
    DeliveryLog log;

    @Inject
    DeliverySearch search;

    @Inject
    BreakerStore breakers;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "The delivery log, newest first", description = "Filter by status (pending, held, delivered, failed, expired), type, time, resourceId (the event's data.resourceId), eventId (the CloudEvent id) and messageId (the webhook-id header a receiver got). Keyset paging: pass nextCursor back as cursor; it is null on the last page.")
    public Uni<Page> list(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("webhookId") @Pattern(regexp = WEBHOOK) String webhookId,
            @QueryParam("status") @Pattern(regexp = STATUS) String status,
            @QueryParam("type") @Pattern(regexp = NotificationTypes.TYPE) String type, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("resourceId") @Pattern(regexp = RESOURCE_ID) String resourceId,
            @QueryParam("eventId") @Pattern(regexp = EVENT_ID) String eventId,
            @QueryParam("messageId") @Pattern(regexp = EVENT_ID) String messageId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        caller.requireEnvironment(env);
        DeliverySearch.Filter filter = new DeliverySearch.Filter(env, webhookId, status, type,
                QueryParams.instant("from", from), QueryParams.instant("to", to), resourceId, eventId, messageId,
                DeliveryCursor.parse(cursor));
        return page(search, log, filter, limit)
                .chain(p -> breakers.breaker(env, webhookId).map(b -> new Page(p.items(), p.nextCursor(), b)));
    }

    /** Delivery statuses a search may name. */
    static final String STATUS = "^(pending|held|delivered|failed|expired)$";
    /** A record id or event id to look for: the parser's bounds, no control characters. */
    static final String RESOURCE_ID = "^[^\\p{Cntrl}]{1,1024}$";
    static final String EVENT_ID = "^[^\\p{Cntrl}]{1,256}$";

    /** A page found by {@code search}: {@code limit + 1} rows read, so a next cursor means a next page. */
    static Uni<DeliverySearchResource.DeliveriesPage> page(DeliverySearch search, DeliveryLog log,
            DeliverySearch.Filter filter, int limit) {
        return search.find(filter, limit + 1).chain(found -> {
            List<DeliveryRow> rows = found.size() > limit ? found.subList(0, limit) : found;
            String next = found.size() > limit ? DeliveryCursor.of(rows.get(rows.size() - 1).sequence()) : null;
            return log.lastAttempts(rows.stream().map(DeliveryRow::id).toList())
                    .map(last -> new DeliverySearchResource.DeliveriesPage(
                            rows.stream().map(d -> Delivery.of(d, last.get(d.id()), null)).toList(), next));
        });
    }

    @GET
    @Path("/{deliveryId}")
    @Operation(summary = "One delivery with all its attempts")
    public Uni<Delivery> get(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("webhookId") @Pattern(regexp = WEBHOOK) String webhookId,
            @PathParam("deliveryId") @Pattern(regexp = DELIVERY) String deliveryId) {
        caller.requireEnvironment(env);
        return log.find(env, webhookId, deliveryId).chain(d -> {
            if (d == null) {
                throw notFound(deliveryId);
            }
            return log.attempts(d.id()).map(a -> Delivery.of(d, a));
        });
    }

    @POST
    @Path("/{deliveryId}/redeliver")
    @Operation(summary = "Send a delivered or failed delivery again", description = "Same body and webhook-id; new attempts.")
    public Uni<Delivery> redeliver(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("webhookId") @Pattern(regexp = WEBHOOK) String webhookId,
            @PathParam("deliveryId") @Pattern(regexp = DELIVERY) String deliveryId) {
        return existing(env, webhookId, deliveryId).chain(d -> store.redeliver(d.id()).chain(ok -> {
            if (!ok) {
                throw inProgress(env, webhookId, d);
            }
            return current(env, webhookId, deliveryId);
        }));
    }

    @POST
    @Path("/{deliveryId}/attempt-now")
    @Operation(summary = "Attempt a pending delivery now", description = "For a receiver that was fixed: the next attempt happens at once instead of at its scheduled retry (an earlier pending delivery of the same record still goes first). 409 unless the delivery is pending; a delivered or failed one is sent again with redeliver.")
    public Uni<Delivery> attemptNow(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("webhookId") @Pattern(regexp = WEBHOOK) String webhookId,
            @PathParam("deliveryId") @Pattern(regexp = DELIVERY) String deliveryId) {
        return existing(env, webhookId, deliveryId).chain(d -> store.attemptNow(d.id()).chain(pending -> {
            if (!pending) {
                throw ProblemException.conflict("delivery_not_pending", "Delivery " + deliveryId + " is " + d.status()
                        + ", not pending: "
                        + ("held".equals(d.status()) ? "resume the webhook to send its held deliveries"
                                : "send it again with POST " + base(env, webhookId) + "/" + deliveryId + "/redeliver"))
                        .with("status", d.status());
            }
            return current(env, webhookId, deliveryId);
        }));
    }

    /**
     * The delivery as it is now, with its latest attempt (as the list shows it): an answer that says what happened
     * last, not {@code lastAttempt: null} whatever its attempts were.
     */
    private Uni<Delivery> current(String env, String webhookId, String deliveryId) {
        return log.find(env, webhookId, deliveryId).chain(again -> {
            if (again == null) {
                throw notFound(deliveryId); // pruned meanwhile
            }
            return log.lastAttempts(List.of(again.id())).map(last -> Delivery.of(again, last.get(again.id()), null));
        });
    }

    /** The caller's delivery, or 404 (another Environment's answers 404 too). */
    private Uni<DeliveryRow> existing(String env, String webhookId, String deliveryId) {
        caller.requireEnvironment(env);
        return log.find(env, webhookId, deliveryId).map(d -> {
            if (d == null) {
                throw notFound(deliveryId);
            }
            return d;
        });
    }

    /** 409 for a redelivery of an open delivery: when it is due, and how to have it now. */
    private static ProblemException inProgress(String env, String webhookId, DeliveryRow d) {
        if (DeliveryRow.PENDING.equals(d.status())) {
            return ProblemException.conflict("delivery_in_progress",
                    "Delivery " + d.id() + " is still pending; its next attempt is at " + d.nextAttemptAt()
                            + ". To attempt it now: POST " + base(env, webhookId) + "/" + d.id() + "/attempt-now")
                    .with("status", d.status()).with("nextAttemptAt", String.valueOf(d.nextAttemptAt()));
        }
        return ProblemException
                .conflict("delivery_in_progress",
                        "Delivery " + d.id() + " is " + d.status() + ": it is sent when the webhook is resumed.")
                .with("status", d.status());
    }

    private static String base(String env, String webhookId) {
        return "/api/v1/environments/" + env + "/webhooks/" + webhookId + "/deliveries";
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("delivery_not_found", "No delivery " + id + " for this webhook.");
    }
}
