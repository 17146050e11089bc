package io.keyhook.token.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.token.service.AssertionGrant;
import io.keyhook.token.service.Authenticated;
import io.keyhook.token.service.ClientAssertion;
import io.keyhook.token.service.ClientAssertionAuthenticator;
import io.keyhook.token.service.ClientAuthenticator;
import io.keyhook.token.service.IssuedToken;
import io.keyhook.token.service.Json;
import io.keyhook.token.service.OAuthException;
import io.keyhook.token.service.TokenIssuer;
import io.smallrye.mutiny.Uni;

/**
 * What the token endpoint does with a request: RFC 6749 section 4.4 {@code client_credentials} and RFC 7523
 * {@code jwt-bearer}; a client authenticates with a secret ({@code client_secret_basic}/{@code _post}) or, with
 * {@code client_credentials}, with a {@code client_assertion} signed by its own key ({@code private_key_jwt}, RFC 7523
 * section 2.2). Authentication is a keyed hash against the in-memory view and signing is Ed25519, both microseconds, so
 * this runs on the event loop ({@link TokenRoute} carries it over HTTP).
 */
@ApplicationScoped
class TokenExchange {

    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    AssertionGrant assertions;

    @Inject
    ClientAssertionAuthenticator clientAssertions;

    @Inject
    TokenIssuer issuer;

    /**
     * The section 5.1 JSON answer, or a failure with an {@link OAuthException} (anything else is unexpected). Every
     * refusal is in the token audit by the time the failure is emitted.
     */
    Uni<String> exchange(String body, String authorization, String source) {
        String[] clientForAudit = { null };
        return Uni.createFrom().deferred(() -> {
            FormBody form = FormBody.parse(body);
            ClientCredentials credentials = ClientCredentials.of(authorization, form);
            clientForAudit[0] = credentials == null ? form.get("client_id") : credentials.clientId();
            String grantType = form.get("grant_type");
            String assertionType = form.get("client_assertion_type");
            String clientAssertion = form.get("client_assertion");
            if (assertionType != null || clientAssertion != null) {
                if (credentials != null && credentials.hasSecret()) {
                    throw OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                            "use one client authentication method: a secret or a client_assertion, not both");
                }
                if (clientAssertion != null && clientForAudit[0] == null) {
                    clientForAudit[0] = ClientAssertion.unverifiedIssuer(clientAssertion);
                }
            }
            if (grantType == null) {
                throw OAuthException.badRequest(OAuthException.INVALID_REQUEST, "grant_type is required");
            }
            if (assertionType != null || clientAssertion != null) {
                return privateKeyJwt(grantType, assertionType, clientAssertion, form.get("client_id"), source)
                        .map(client -> answer(issuer.issue(client, form.get("scope"), source)));
            }
            Uni<Authenticated> who = switch (grantType) {
            case CLIENT_CREDENTIALS -> clientCredentials(credentials, source);
            case JWT_BEARER -> assertion(form.get("assertion"), credentials, source);
            default -> throw OAuthException.badRequest(OAuthException.UNSUPPORTED_GRANT_TYPE,
                    "grant_type must be client_credentials or " + JWT_BEARER);
            };
            return who.call(issuer::keyReady).map(client -> answer(issuer.issue(client, form.get("scope"), source)));
        }).onFailure().transform(t -> {
            return authenticator.refusedBeforeAuthentication(OAuthResponses.asOAuth(t), clientForAudit[0], source,
                    "token.refused");
        });
    }

    /**
     * {@code private_key_jwt}: only with {@code client_credentials} (SMART Backend Services), with exactly RFC 7523's
     * assertion type; SMART's test kits expect 400 for a wrong grant type or assertion type.
     */
    private Uni<Authenticated> privateKeyJwt(String grantType, String assertionType, String clientAssertion,
            String clientId, String source) {
        if (!CLIENT_CREDENTIALS.equals(grantType)) {
            throw JWT_BEARER.equals(grantType)
                    ? OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                            "a client_assertion authenticates a client_credentials request only")
                    : OAuthException.badRequest(OAuthException.UNSUPPORTED_GRANT_TYPE,
                            "grant_type must be client_credentials or " + JWT_BEARER);
        }
        if (!ClientAssertion.TYPE.equals(assertionType)) {
            throw OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                    "client_assertion_type must be " + ClientAssertion.TYPE);
        }
        if (clientAssertion == null) {
            throw OAuthException.badRequest(OAuthException.INVALID_REQUEST, "client_assertion is required");
        }
        return clientAssertions.authenticate(clientAssertion, clientId, source, "token.refused");
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

    static String answer(IssuedToken t) {
        StringBuilder body = new StringBuilder(t.accessToken().length() + 96);
        body.append("{\"access_token\":\"").append(t.accessToken())
                .append("\",\"token_type\":\"Bearer\",\"expires_in\":").append(t.expiresIn()).append(",\"scope\":");
        Json.quote(body, t.scope());
        return body.append('}').toString();
    }
}
