package io.keyhook.dispatcher.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.security.Roles;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.Ids;
import io.keyhook.dispatcher.service.VerificationPing;
import io.smallrye.mutiny.Uni;

/**
 * Internal, service-authenticated: one {@code keyhook.ping} to a webhook, signed only with the secrets named.
 * webhook-config-service calls it before a verified rotation's finish.
 */
@Path("/internal/v1/environments/{env}/webhooks/{webhookId}/ping")
@RolesAllowed(Roles.SERVICE)
@Tag(name = "Verification ping (internal)", description = "Only Keyhook services may call it")
public class PingResource {

    /**
     * What the ping is signed with: {@code secretIds} (API client secrets the webhook signs with) or
     * {@code signingKeyIds} (the webhook's own active keys), exactly one of them; and why it is sent.
     */
    public record PingBody(@Size(max = 3) List<@NotNull @Pattern(regexp = Ids.SECRET) String> secretIds,
            @Size(max = 3) List<@NotNull @Pattern(regexp = "^[A-Za-z0-9_]{1,64}$") String> signingKeyIds,
            @Pattern(regexp = "^[a-z_]{1,40}$") String purpose) {
    }

    @Inject
    VerificationPing pings;

    @POST
    @Operation(summary = "Send one keyhook.ping signed only with the secrets or own keys named; 200 with the receiver's answer")
    public Uni<VerificationPing.Result> ping(@PathParam("env") @Pattern(regexp = Ids.ENVIRONMENT) String env,
            @PathParam("webhookId") @Pattern(regexp = Ids.WEBHOOK) String webhookId, @NotNull @Valid PingBody body) {
        boolean secrets = body.secretIds() != null && !body.secretIds().isEmpty();
        boolean keys = body.signingKeyIds() != null && !body.signingKeyIds().isEmpty();
        if (secrets == keys) {
            throw new ProblemException(422, "validation_failed", "Invalid request",
                    "Name the secretIds or the signingKeyIds the ping is signed with, one of them");
        }
        String purpose = body.purpose() == null ? "check" : body.purpose();
        return secrets ? pings.ping(env, webhookId, body.secretIds(), purpose)
                : pings.pingWithOwnKeys(env, webhookId, body.signingKeyIds(), purpose);
    }
}
