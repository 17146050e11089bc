package io.keyhook.token.api;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.net.ClientAddress;
import io.keyhook.core.error.ProblemException;
import io.keyhook.token.service.ClientAuthenticator;
import io.keyhook.token.service.ClientIds;
import io.keyhook.token.service.MalformedClientId;
import io.keyhook.token.service.OAuthException;
import io.keyhook.token.service.TokenIssuer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The platform's v2 exchange, kept for existing integrations: JSON in, JSON out, problem+json errors (the same
 * authentication, limits and tokens as {@code /oauth2/token}).
 */
@Path("/auth/token")
@Tag(name = "Compatibility", description = "The platform's v2 token exchange")
public class CompatTokenResource {

    @Inject
    ClientAddress addresses;

    /** The v2 request. */
    public record Request(@NotBlank @Size(max = 512) String apiClient, @NotBlank @Size(max = 512) String secret) {
    }

    /** The v2 answer. */
    public record Answer(String token, Instant expiresAt) {
    }

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    TokenIssuer issuer;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exchange an API client id and secret for an access token (v2 form)")
    public Uni<Response> token(@NotNull @Valid Request body, @Context HttpServerRequest request) {
        String source = addresses.of(request);
        return Uni.createFrom().deferred(() -> {
            if (!ClientIds.wellFormed(body.apiClient())) {
                MalformedClientId malformed = new MalformedClientId(body.apiClient());
                authenticator.refusedBeforeAuthentication(malformed, null, source, "token.refused");
                throw malformed.audited();
            }
            return authenticator.authenticate(body.apiClient(), body.secret(), source, "token.refused");
        }).call(issuer::keyReady).map(who -> issuer.issue(who, null, source)).map(t -> Response
                .ok(new Answer(t.accessToken(), t.expiresAt())).header("Cache-Control", "no-store").build())
                .onFailure(OAuthException.class).transform(t -> asProblem(t));
    }

    private static ProblemException asProblem(OAuthException e) {
        return switch (e.status()) {
        case 401 -> new ProblemException(401, "invalid_client", "Unauthorized",
                "The API client id or secret is wrong, or the secret is no longer active.")
                        .withHeader("WWW-Authenticate", OAuthResponses.REALM);
        case 429 -> new ProblemException(429, "rate_limited", "Too Many Requests", e.getMessage())
                .withHeader("Retry-After", String.valueOf(e.retryAfter()));
        default -> new ProblemException(e.status(), e.error(), "Token request refused", e.getMessage());
        };
    }
}
