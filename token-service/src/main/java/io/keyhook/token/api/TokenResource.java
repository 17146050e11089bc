package io.keyhook.token.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.keyhook.common.net.ClientAddress;
import io.keyhook.token.service.AssertionGrant;
import io.keyhook.token.service.Authenticated;
import io.keyhook.token.service.ClientAuthenticator;
import io.keyhook.token.service.IssuedToken;
import io.keyhook.token.service.OAuthException;
import io.keyhook.token.service.TokenIssuer;
import io.keyhook.token.signing.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The token endpoint: RFC 6749 section 4.4 {@code client_credentials} and RFC 7523 {@code jwt-bearer}. Runs on the
 * event loop: authentication is a keyed hash against the in-memory view and signing is Ed25519, both microseconds.
 */
@Path("/oauth2/token")
@Tag(name = "OAuth 2.0", description = "Token exchange (RFC 6749, RFC 7523)")
public class TokenResource {

    @Inject
    ClientAddress addresses;

    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    AssertionGrant assertions;

    @Inject
    TokenIssuer issuer;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exchange client credentials or a JWT assertion for an access token", description = "grant_type=client_credentials with client_secret_basic or client_secret_post, or grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer with an HS256 assertion signed by a client secret. Answers RFC 6749 section 5.1/5.2 JSON; 429 with Retry-After when rate-limited.")
    public Uni<Response> token(String body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        String source = addresses.of(request);
        String[] clientForAudit = { null };
        return Uni.createFrom().deferred(() -> {
            FormBody form = FormBody.parse(body);
            ClientCredentials credentials = ClientCredentials.of(authorization, form);
            clientForAudit[0] = credentials == null ? form.get("client_id") : credentials.clientId();
            String grantType = form.get("grant_type");
            if (grantType == null) {
                throw OAuthException.badRequest(OAuthException.INVALID_REQUEST, "grant_type is required");
            }
            Uni<Authenticated> who = switch (grantType) {
            case CLIENT_CREDENTIALS -> clientCredentials(credentials, source);
            case JWT_BEARER -> assertion(form.get("assertion"), credentials, source);
            default -> throw OAuthException.badRequest(OAuthException.UNSUPPORTED_GRANT_TYPE,
                    "grant_type must be client_credentials or " + JWT_BEARER);
            };
            return who.map(client -> respond(issuer.issue(client, form.get("scope"), source)));
        }).onFailure().recoverWithItem(t -> {
            OAuthException e = OAuthResponses.asOAuth(t);
            authenticator.refusedBeforeAuthentication(e, clientForAudit[0], source, "token.refused");
            return OAuthResponses.error(e);
        });
    }

    /** Any other content type: RFC 6749 requires a form body. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response wrongContentType() {
        return OAuthResponses.error(OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                "the body must be application/x-www-form-urlencoded"));
    }

    private Uni<Authenticated> clientCredentials(ClientCredentials credentials, String source) {
        if (credentials == null || !credentials.hasSecret()) {
            throw OAuthException.invalidClient();
        }
        return authenticator.authenticate(credentials.clientId(), credentials.secret(), source, "token.refused");
    }

    private Uni<Authenticated> assertion(String assertion, ClientCredentials credentials, String source) {
        if (credentials == null || !credentials.hasSecret()) {
            // section 3.1: client authentication is optional with an assertion grant
            return assertions.verify(assertion, source);
        }
        return authenticator.authenticate(credentials.clientId(), credentials.secret(), source, "token.refused")
                .chain(client -> assertions.verify(assertion, source).map(asserted -> {
                    if (!asserted.client().clientId().equals(client.client().clientId())) {
                        throw OAuthException.badRequest(OAuthException.INVALID_GRANT,
                                "the assertion's issuer is not the authenticated client");
                    }
                    return asserted;
                }));
    }

    static Response respond(IssuedToken t) {
        StringBuilder body = new StringBuilder(t.accessToken().length() + 96);
        body.append("{\"access_token\":\"").append(t.accessToken())
                .append("\",\"token_type\":\"Bearer\",\"expires_in\":").append(t.expiresIn()).append(",\"scope\":");
        Json.quote(body, t.scope());
        return OAuthResponses.json(body.append('}').toString());
    }
}
