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
import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.core.error.ProblemException;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.service.Replays;
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
    Replays replays;

    @Inject
    Caller caller;

    @Inject
    DispatcherConfig config;

    @POST
    @Operation(summary = "Send again every delivered or failed delivery created in [from, to)", description = "Same body and webhook-id; new attempts. The replayed deliveries queue behind the webhook's pending ones, in their original order, and use only the webhook's own delivery slots. At most keyhook.dispatcher.replay.max-deliveries (10,000) per request: a range holding more is refused with 422 replay_too_large, its count and suggestedTo, where to end a first, smaller replay.")
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
        int max = config.replay().maxDeliveries();
        return replays.replay(env, webhookId, from, to, max)
                .chain(outcome -> outcome.tooLarge() ? replays.rangeSize(env, webhookId, from, to, max).map(size -> {
                    throw tooLarge(from, to, max, size);
                }) : Uni.createFrom().item(new ReplayResponse(outcome.replayed())));
    }

    /** 422 with the range's count and, when it can be split, where a first replay should end. */
    static ProblemException tooLarge(Instant from, Instant to, int max, DeliveryStore.RangeSize size) {
        String advice = size.count() <= max
                // deliveries changed between the refusal and the count (pruned, sent again): it fits now
                ? " The range changed meanwhile and now fits: send the request again."
                : size.splitAt() == null
                        ? " More than " + max + " of them were created at " + from
                                + " itself: send those again one by one (POST .../deliveries/{deliveryId}/redeliver)."
                        : " Replay from " + from + " to " + size.splitAt() + " first (at most " + max + "), then from "
                                + size.splitAt() + " to " + to + ", splitting that again if it is still too large.";
        ProblemException p = ProblemException
                .unprocessable("replay_too_large", "The range holds " + size.count()
                        + " deliveries to send again; one replay sends at most " + max + "." + advice)
                .with("count", size.count()).with("maxDeliveries", max);
        return size.splitAt() == null ? p : p.with("suggestedTo", size.splitAt().toString());
    }
}
