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
            DeliveryLog.AttemptRow lastAttempt, List<DeliveryLog.AttemptRow> attemptLog) {

        static Delivery of(DeliveryRow d, List<DeliveryLog.AttemptRow> attempts) {
            return of(d, attempts == null || attempts.isEmpty() ? null : attempts.get(attempts.size() - 1), attempts);
        }

        static Delivery of(DeliveryRow d, DeliveryLog.AttemptRow last, List<DeliveryLog.AttemptRow> attempts) {
            return new Delivery(d.id(), d.webhookId(), d.eventId(), d.msgId(), d.type(), d.status(), d.attempts(),
                    DeliveryRow.PENDING.equals(d.status()) ? d.nextAttemptAt() : null, d.createdAt(), d.traceId(), last,
                    attempts);
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
    BreakerStore breakers;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "The delivery log, newest first", description = "Filter by status (pending, held, delivered, failed), type and time.")
    public Uni<Page> list(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("webhookId") @Pattern(regexp = WEBHOOK) String webhookId,
            @QueryParam("status") @Pattern(regexp = "^(pending|held|delivered|failed|expired)$") String status,
            @QueryParam("type") @Pattern(regexp = NotificationTypes.TYPE) String type, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cursor") @Pattern(regexp = "^[0-9]{1,19}$") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        caller.requireEnvironment(env);
        return log
                .page(env, webhookId, status, type, QueryParams.instant("from", from), QueryParams.instant("to", to),
                        QueryParams.cursor(cursor), limit)
                .chain(rows -> log
                        .lastAttempts(
                                rows.stream().map(DeliveryRow::id).toList())
                        .chain(last -> breakers.breaker(env, webhookId).map(breaker -> new Page(
                                rows.stream().map(d -> Delivery.of(d, last.get(d.id()), null)).toList(),
                                rows.size() == limit ? String.valueOf(rows.get(rows.size() - 1).sequence()) : null,
                                breaker))));
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
            return log.find(env, webhookId, deliveryId).map(again -> Delivery.of(again, null));
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
            return log.find(env, webhookId, deliveryId).map(again -> Delivery.of(again, null));
        }));
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
