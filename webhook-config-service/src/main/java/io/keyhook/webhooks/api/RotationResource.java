package io.keyhook.webhooks.api;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.security.Roles;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.Ids;
import io.keyhook.webhooks.persistence.RotationRow;
import io.keyhook.webhooks.service.RotationService;
import io.smallrye.mutiny.Uni;

/** Guided credential rotation (SPEC.md section 7 as one flow). */
@Path("/api/v1/environments/{env}/rotations")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Rotations", description = "Rotate a client secret without a failed delivery: new secret, overlap, invalidate when safe")
public class RotationResource {

    static final String ENV = Ids.ENVIRONMENT;
    static final String ID = Ids.ROTATION;

    @Inject
    RotationService rotations;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    @POST
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = RotationResponse.class)))
    @Operation(summary = "Start a rotation", description = "Creates the new secret (its value is in this response only) and adds it to every webhook that signs with the old one. 409 if the secret is already being rotated or a webhook has no room for another secret.")
    public Uni<Response> start(@PathParam("env") @Pattern(regexp = ENV) String env, @NotNull @Valid RotationBody body,
            @HeaderParam("Authorization") String authorization) {
        Duration finishAfter = null;
        if (body.finishAfter() != null) {
            finishAfter = Duration.parse(body.finishAfter());
            if (finishAfter.isNegative() || finishAfter.compareTo(Duration.ofDays(30)) > 0) {
                throw new ProblemException(422, "validation_failed", "Unprocessable request",
                        "finishAfter must be between 0 and 30 days");
            }
        }
        return rotations
                .start(env, body.clientId(), body.secretId(), finishAfter, authorization).map(
                        s -> Response
                                .created(URI.create("/api/v1/environments/" + env + "/rotations/" + s.rotation().id()))
                                .entity(RotationResponse.of(s.rotation(),
                                        new RotationResponse.NewSecret(s.secret().id(), s.secret().value()), null))
                                .build());
    }

    @GET
    @Operation(summary = "The Environment's rotations, newest first")
    public Uni<List<RotationResponse>> list(@PathParam("env") @Pattern(regexp = ENV) String env) {
        return rotations.list(env).map(l -> l.stream().map(this::response).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One rotation")
    public Uni<RotationResponse> get(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id) {
        return rotations.get(env, id).map(this::response);
    }

    @POST
    @Path("/{id}/finish")
    @Operation(summary = "Finish now", description = "Verified first: every webhook signing with the new secret must answer 2xx to a keyhook.ping signed with the new secret only, and the old secret must have gone unused for the quiet period; else 409 rotation_not_verified with the checks, and the rotation stays overlapping. {\"override\": true, \"reason\": ...} finishes without the proof (recorded and audited). Then the old secret leaves the webhooks and is invalidated; 409 naming what still uses it, and the rotation stays finishing and is retried.")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, content = @Content(mediaType = "application/json", schema = @Schema(implementation = FinishBody.class)))
    public Uni<RotationResponse> finish(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id, byte[] raw) {
        // read by hand: the runner and older scripts POST no body and no Content-Type, which a JSON parameter refuses
        FinishBody body = FinishBody.read(json, validator, raw);
        String reason = FinishBody.overrideReason(body);
        return rotations.finish(env, id, reason).map(this::response);
    }

    @POST
    @Path("/{id}/checks")
    @Operation(summary = "Check now", description = "Runs the verification (a keyhook.ping per webhook signed with the new secret only, and the old secret's quiet period) and records it in the rotation's checks; finishes nothing. 409 unless the rotation is overlapping.")
    public Uni<RotationResponse> check(@PathParam("env") @Pattern(regexp = ENV) String env,
            @PathParam("id") @Pattern(regexp = ID) String id) {
        return rotations.check(env, id).map(this::response);
    }

    private RotationResponse response(RotationRow r) {
        return RotationResponse.of(r, null, rotations.verification(r));
    }
}
