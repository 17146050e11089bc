package io.keyhook.credentials.api;

import java.io.IOException;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.api.Responses;
import io.keyhook.common.security.Roles;
import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.service.KeyRotationService;
import io.smallrye.mutiny.Uni;

/** Guided, verified rotation of a private_key_jwt client's key. */
@Path("/api/v1/environments/{env}/clients/{clientId}/key-rotations")
@RolesAllowed(Roles.INTEGRATION_ADMIN)
@Tag(name = "Clients", description = "API clients (Apps and Integrations) of an Environment and their secrets")
public class KeyRotationResource {

    @Inject
    KeyRotationService service;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    @POST
    @APIResponse(responseCode = "201", description = "Started", content = @Content(mediaType = "application/json", schema = @Schema(implementation = KeyRotationResponse.class)))
    @Operation(summary = "Start a key rotation", description = "Adds newKey to the client's inline JWKS at once (it works the moment this returns)."
            + " 409 rotation_not_applicable for a client_secret or jwksUri client, 409 key_rotation_in_progress while the client has"
            + " an open one, 404 unknown_key if oldKid is not registered, 400 invalid_jwks (reason: the validator's code) for a bad"
            + " or duplicate newKey.")
    public Uni<RestResponse<KeyRotationResponse>> start(
            @PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId,
            @NotNull @Valid KeyRotationStartRequest request) {
        return service.start(env, clientId, request.oldKid(), request.newKey()).map(r -> Responses
                .created("/api/v1/environments/" + env + "/clients/" + clientId + "/key-rotations/" + r.id(), r));
    }

    @GET
    @Operation(summary = "The client's key rotations, newest first")
    public Uni<KeyRotationsResponse> list(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId) {
        return service.list(env, clientId);
    }

    @GET
    @Path("/{rotationId}")
    @Operation(summary = "One key rotation, with its checks as of now")
    public Uni<KeyRotationResponse> get(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId,
            @PathParam("rotationId") @Pattern(regexp = Patterns.KEY_ROTATION_ID) String rotationId) {
        return service.get(env, clientId, rotationId);
    }

    @POST
    @Path("/{rotationId}/finish")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, content = @Content(mediaType = "application/json", schema = @Schema(implementation = KeyRotationFinishRequest.class)))
    @Operation(summary = "Finish: remove the old key", description = "Only once new_key_used and old_key_quiet pass; else 409"
            + " rotation_not_verified with the checks. {\"override\": true, \"reason\": \"...\"} finishes without them (the reason is"
            + " required, 422 override_reason_required; recorded and audited key_rotation.override).")
    public Uni<KeyRotationResponse> finish(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId,
            @PathParam("rotationId") @Pattern(regexp = Patterns.KEY_ROTATION_ID) String rotationId, byte[] raw) {
        // read by hand: the runner POSTs no body and no Content-Type, which a JSON parameter refuses
        return service.finish(env, clientId, rotationId, body(raw));
    }

    @POST
    @Path("/{rotationId}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Cancel: remove the new key again", description = "Only if the new key was never used; else 409 new_key_in_use.")
    public Uni<KeyRotationResponse> cancel(@PathParam("env") @Pattern(regexp = Patterns.ENVIRONMENT_ID) String env,
            @PathParam("clientId") @Pattern(regexp = Patterns.OBJECT_ID) String clientId,
            @PathParam("rotationId") @Pattern(regexp = Patterns.KEY_ROTATION_ID) String rotationId) {
        return service.cancel(env, clientId, rotationId);
    }

    /** The finish body, or null when none was sent; 400 when it is not JSON, 422 when a field is invalid. */
    private KeyRotationFinishRequest body(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return null;
        }
        KeyRotationFinishRequest body;
        try {
            body = json.readValue(raw, KeyRotationFinishRequest.class);
        } catch (IOException e) {
            throw ProblemException.badRequest("malformed_body",
                    "The body must be JSON such as {\"override\": true, \"reason\": \"...\"}, or nothing");
        }
        Set<ConstraintViolation<KeyRotationFinishRequest>> violations = body == null ? Set.of()
                : validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }
}
