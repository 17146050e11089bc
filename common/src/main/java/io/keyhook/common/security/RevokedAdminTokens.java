package io.keyhook.common.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Turns a verified but revoked admin token into a failed authentication (401), in every service, before any role check
 * or resource method sees it. See {@link AdminTokenGuard}. On a replica that has not yet read every revocation since it
 * started, a Keyhook-issued token waits for that (at most {@code keyhook.admin-tokens.start-wait}), then is judged, or
 * the request is answered 503: a revoked token is never accepted because the replica had not heard of the revocation.
 */
@ApplicationScoped
public class RevokedAdminTokens implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(RevokedAdminTokens.class);

    @Inject
    AdminTokenGuard guard;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        if (guard.canJudge(jwt)) {
            return judge(identity, jwt);
        }
        Context caller = Vertx.currentContext();
        return Uni.createFrom().completionStage(guard.whenLoaded()).ifNoItem().after(guard.startWait())
                .failWith(() -> new AuthenticationFailedException("revocations not loaded yet",
                        new RevocationsNotLoadedException()))
                // the views complete on their own thread: carry on where the request was
                .emitOn(task -> {
                    if (caller != null) {
                        caller.runOnContext(v -> task.run());
                    } else {
                        task.run();
                    }
                }).chain(loaded -> judge(identity, jwt));
    }

    private Uni<SecurityIdentity> judge(SecurityIdentity identity, JsonWebToken jwt) {
        String refusal = guard.refusal(jwt);
        if (refusal == null) {
            return Uni.createFrom().item(identity);
        }
        LOG.debugf("Refused an admin token of %s: %s", jwt.getClaim("client_id"), refusal);
        return Uni.createFrom().failure(new AuthenticationFailedException(refusal, new RevokedTokenException(refusal)));
    }
}
