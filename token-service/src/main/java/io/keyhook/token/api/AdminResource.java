package io.keyhook.token.api;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.api.QueryParams;
import io.keyhook.common.audit.AuditQuery;
import io.keyhook.common.audit.SqlAuditStore;
import io.keyhook.common.security.Caller;
import io.keyhook.common.security.Roles;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.Ids;
import io.keyhook.token.service.SigningKeys;
import io.keyhook.token.service.TokenAudit;
import io.smallrye.mutiny.Uni;

/** token-service's admin API: its signing keys (operators) and its audit trail (per Environment). */
@Path("/api/v1")
public class AdminResource {

    /** A signing key as operators see it; never the private half. */
    public record SigningKeyResponse(String kid, String algorithm, Instant activateAt, Instant retireAt,
            Instant expiresAt, boolean signing) {
    }

    /** One audit entry. */
    public record AuditEntryResponse(Instant occurredAt, String actor, String source, String action, String target,
            String result, String reason) {
    }

    /** A page of audit entries; {@code nextCursor} null on the last page. */
    public record AuditPageResponse(List<AuditEntryResponse> items, String nextCursor) {
    }

    @Inject
    SigningKeys keys;

    @Inject
    SqlAuditStore audit;

    @Inject
    TokenAudit tokenAudit;

    @Inject
    Caller caller;

    @GET
    @Path("/signing-keys")
    @RolesAllowed(Roles.PLATFORM_OPERATOR)
    @Tag(name = "Signing keys")
    @Operation(summary = "The published signing keys, newest first")
    public List<SigningKeyResponse> signingKeys() {
        Instant now = Instant.now();
        return keys.published().stream().map(k -> new SigningKeyResponse(k.kid(), k.algorithm().name(), k.activateAt(),
                k.retireAt(), k.expiresAt(), k.signsAt(now))).toList();
    }

    @POST
    @Path("/signing-keys/rotate")
    @RolesAllowed(Roles.PLATFORM_OPERATOR)
    @Tag(name = "Signing keys")
    @Operation(summary = "Sign with a new key within seconds", description = "For a suspected compromise: the new key is published at once and signs from its activateAt, keyhook.token.signing.switch-delay (2 s) from now, on every replica at the same moment, so every replica's JWKS carries it before any token it signs; the old keys stop signing then but stay in the JWKS until their tokens expire. For a known compromise, revoke the key instead.")
    public Uni<SigningKeyResponse> rotate() {
        return keys.rotateNow()
                .map(kid -> signingKeys().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow());
    }

    @POST
    @Path("/signing-keys/{kid}/revoke")
    @RolesAllowed(Roles.PLATFORM_OPERATOR)
    @Tag(name = "Signing keys")
    @Operation(summary = "Revoke a signing key now (a known compromise)", description = "The key leaves the JWKS and stops signing on every replica within a second, a new key signs if it was the signer, and every token it signed stops working: introspection answers active=false and every Keyhook admin API refuses them. 404 if no published key has this kid.")
    public Uni<List<SigningKeyResponse>> revoke(@PathParam("kid") @Pattern(regexp = Ids.SIGNING_KEY) String kid) {
        return keys.revokeNow(kid).map(found -> {
            if (!found) {
                throw ProblemException.notFound("signing_key_not_found", "No published signing key has kid " + kid);
            }
            tokenAudit.record(null, caller.subject(), null, "signing_key.revoked", kid, "revoked", "emergency");
            return signingKeys();
        });
    }

    @GET
    @Path("/environments/{env}/token-audit")
    @RolesAllowed({ Roles.INTEGRATION_ADMIN, Roles.PLATFORM_OPERATOR })
    @Tag(name = "Audit")
    @Operation(summary = "Token-endpoint failures and revocations in this Environment, newest first")
    public Uni<AuditPageResponse> audit(@PathParam("env") @Pattern(regexp = Ids.ENVIRONMENT) String env,
            @QueryParam("action") @Size(max = 64) String action, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cursor") @Pattern(regexp = "^[0-9]{1,19}$") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        caller.requireEnvironment(env);
        AuditQuery q = new AuditQuery(env, null, action, null, null, QueryParams.instant("from", from),
                QueryParams.instant("to", to), QueryParams.cursor(cursor), limit);
        return audit.page(q)
                .map(page -> page.map(r -> new AuditEntryResponse(r.occurredAt(), r.actor(), r.source(), r.action(),
                        r.target(), r.result(), r.detail())))
                .map(page -> new AuditPageResponse(page.items(), page.nextCursor()));
    }
}
