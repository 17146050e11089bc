package io.keyhook.dispatcher.api;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.core.error.ProblemException;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.service.Recoveries;
import io.smallrye.mutiny.Uni;

/** Sends now what a webhook has not received since a moment: after its receiver was fixed. */
@Path("/api/v1/environments/{env}/webhooks/{webhookId}/recover")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Deliveries")
public class RecoverResource {

    /** {@code since}: RFC 3339; {@code to} (optional, exclusive, default now): to split a large recover. */
    public record RecoverRequest(String since, String to) {
    }

    /**
     * {@code recovered}: deliveries made due now; {@code held}: deliveries of the range that stay held because the
     * webhook is paused (resume it to send them).
     */
    public record RecoverResponse(int recovered, String since, long held) {
    }

    @Inject
    Recoveries recoveries;

    @Inject
    Caller caller;

    @Inject
    DispatcherConfig config;

    @POST
    @Operation(summary = "Send now every delivery created since a moment that was not delivered", description = "Those that ended failed or expired, and those pending for their next retry, are made due now (same body and webhook-id, new attempts), in record order; delivered ones are never sent again (replay is for that) and held ones of a paused webhook stay held until it is resumed (counted in held). since: RFC 3339, not in the future, not older than the delivery log's retention. At most keyhook.dispatcher.recover.max-deliveries (10,000) per request: more is refused with 422 recover_too_large, its count and suggestedTo, where to end a first recover (body field to).")
    @APIResponse(responseCode = "202", description = "Made due; attempts follow")
    public Uni<Response> recover(@PathParam("env") @Pattern(regexp = DeliveryResource.ENV) String env,
            @PathParam("webhookId") @Pattern(regexp = DeliveryResource.WEBHOOK) String webhookId, RecoverRequest body) {
        caller.requireEnvironment(env);
        Instant now = Instant.now();
        Instant since = Rfc3339.parse("since", body == null ? null : body.since(), true);
        Instant to = Rfc3339.parse("to", body == null ? null : body.to(), false);
        if (since.isAfter(now)) {
            throw ProblemException.unprocessable("since_in_future", "since is in the future: nothing was sent yet");
        }
        Instant oldest = now.minus(config.delivery().logRetention());
        if (since.isBefore(oldest)) {
            throw ProblemException
                    .unprocessable("since_too_old",
                            "since is older than the delivery log's retention (" + config.delivery().logRetention()
                                    + "): deliveries before " + oldest + " may be gone; use a later since")
                    .with("oldestSince", oldest.toString());
        }
        Instant end = to == null ? now.plusSeconds(1) : to;
        if (!since.isBefore(end)) {
            throw ProblemException.unprocessable("invalid_range", "since must be before to");
        }
        int max = config.recover().maxDeliveries();
        return recoveries.recover(caller.subject(), env, webhookId, since, end, max)
                .chain(o -> o.tooLarge() ? recoveries.rangeSize(env, webhookId, since, end, max).map(size -> {
                    throw tooLarge(since, end, max, size);
                }) : Uni.createFrom().item(
                        Response.accepted(new RecoverResponse(o.recovered(), since.toString(), o.held())).build()));
    }

    /** 422 with the count and, when it can be split, where a first recover should end (replay's shape). */
    static ProblemException tooLarge(Instant since, Instant to, int max, DeliveryStore.RangeSize size) {
        String advice = size.count() <= max ? " The range changed meanwhile and now fits: send the request again."
                : size.splitAt() == null
                        ? " More than " + max + " of them were created at " + since
                                + " itself: send those one by one (POST .../deliveries/{deliveryId}/attempt-now"
                                + " or .../redeliver)."
                        : " Recover with since " + since + " and to " + size.splitAt() + " first (at most " + max
                                + "), then with since " + size.splitAt() + ", splitting that again if it is still too"
                                + " large.";
        ProblemException p = ProblemException
                .unprocessable("recover_too_large",
                        "Since " + since + " the webhook has " + size.count()
                                + " deliveries to send; one recover sends at most " + max + "." + advice)
                .with("count", size.count()).with("maxDeliveries", max);
        return size.splitAt() == null ? p : p.with("suggestedTo", size.splitAt().toString());
    }
}
