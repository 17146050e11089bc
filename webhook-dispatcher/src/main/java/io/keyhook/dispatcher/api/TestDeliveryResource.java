package io.keyhook.dispatcher.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.dispatcher.service.TestDelivery;
import io.smallrye.mutiny.Uni;

/** An admin's test delivery to a webhook (issue 31): one signed {@code keyhook.test} event, now. */
@Path("/api/v1/environments/{env}/webhooks/{webhookId}/test")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Deliveries")
public class TestDeliveryResource {

    /** The body is optional and takes no field yet ({@code {}}). */
    @Schema(name = "TestDeliveryBody")
    public record TestBody() {
    }

    @Inject
    TestDelivery tests;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, content = @Content(mediaType = "application/json", schema = @Schema(implementation = TestBody.class)))
    @Operation(summary = "Send a signed keyhook.test event to the webhook now; 200 with the receiver's answer", description = "One attempt, signed with the webhook's security method and carrying its headers, whatever it opted into and even while it is paused; not retried, not stored, audited (webhook.test). The body is a CloudEvent of type keyhook.test with data.test = true. Answers messageId (the webhook-id header), eventId, delivered (2xx), statusCode, latencyMs, error (when nothing was answered) and response (the answer's first 4 KiB, sanitised). 429 test_rate_limited beyond keyhook.dispatcher.test-delivery.per-minute per webhook; 404 webhook_not_found for a webhook not in this Environment.")
    public Uni<TestDelivery.Result> test(@PathParam("env") @Pattern(regexp = DeliveryResource.ENV) String env,
            @PathParam("webhookId") @Pattern(regexp = DeliveryResource.WEBHOOK) String webhookId, byte[] ignored) {
        caller.requireEnvironment(env);
        return tests.send(env, webhookId, caller.subject());
    }
}
