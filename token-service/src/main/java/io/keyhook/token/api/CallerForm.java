package io.keyhook.token.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.token.service.Authenticated;
import io.keyhook.token.service.ClientAssertion;
import io.keyhook.token.service.ClientAssertionAuthenticator;
import io.keyhook.token.service.ClientAuthenticator;
import io.keyhook.token.service.OAuthException;
import io.smallrye.mutiny.Uni;

/**
 * The request shape of introspection and revocation: a form with a {@code token}, sent by a client that authenticates
 * with {@code client_secret_basic}, {@code client_secret_post} or, for a client that registered its public keys,
 * {@code private_key_jwt} (RFC 7523 section 2.2; a client with no secret must be able to introspect and revoke too, as
 * with Hydra and Keycloak). An assertion's {@code jti} is spent here as at the token endpoint.
 */
@ApplicationScoped
class CallerForm {

    /** An authenticated caller and the token it asks about. */
    record Request(Authenticated caller, String token) {
    }

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    ClientAssertionAuthenticator clientAssertions;

    Uni<Request> authenticate(String body, String authorization, String source, String refusedAction) {
        FormBody form = FormBody.parse(body);
        ClientCredentials caller = ClientCredentials.of(authorization, form);
        String assertionType = form.get("client_assertion_type");
        String clientAssertion = form.get("client_assertion");
        boolean withAssertion = assertionType != null || clientAssertion != null;
        if (withAssertion && caller != null && caller.hasSecret()) {
            throw OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                    "use one client authentication method: a secret or a client_assertion, not both");
        }
        if (!withAssertion && (caller == null || !caller.hasSecret())) {
            throw OAuthException.invalidClient();
        }
        String token = form.get("token");
        if (token == null) {
            throw OAuthException.badRequest(OAuthException.INVALID_REQUEST, "token is required");
        }
        if (withAssertion) {
            if (!ClientAssertion.TYPE.equals(assertionType)) {
                throw OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                        "client_assertion_type must be " + ClientAssertion.TYPE);
            }
            if (clientAssertion == null) {
                throw OAuthException.badRequest(OAuthException.INVALID_REQUEST, "client_assertion is required");
            }
            return clientAssertions.authenticate(clientAssertion, form.get("client_id"), source, refusedAction)
                    .map(who -> new Request(who, token));
        }
        return authenticator.authenticate(caller.clientId(), caller.secret(), source, refusedAction)
                .map(who -> new Request(who, token));
    }
}
