package io.keyhook.token.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.token.service.Authenticated;
import io.keyhook.token.service.ClientAuthenticator;
import io.keyhook.token.service.OAuthException;
import io.smallrye.mutiny.Uni;

/**
 * The request shape of introspection and revocation: a form with a {@code token}, sent by a client that authenticates
 * with {@code client_secret_basic} or {@code client_secret_post}.
 */
@ApplicationScoped
class CallerForm {

    /** An authenticated caller and the token it asks about. */
    record Request(Authenticated caller, String token) {
    }

    @Inject
    ClientAuthenticator authenticator;

    Uni<Request> authenticate(String body, String authorization, String source, String refusedAction) {
        FormBody form = FormBody.parse(body);
        ClientCredentials caller = ClientCredentials.of(authorization, form);
        if (caller == null || !caller.hasSecret()) {
            throw OAuthException.invalidClient();
        }
        String token = form.get("token");
        if (token == null) {
            throw OAuthException.badRequest(OAuthException.INVALID_REQUEST, "token is required");
        }
        return authenticator.authenticate(caller.clientId(), caller.secret(), source, refusedAction)
                .map(who -> new Request(who, token));
    }
}
