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

/**
 * Turns a verified but revoked admin token into a failed authentication (401), in every service, before any role check
 * or resource method sees it. See {@link AdminTokenGuard}.
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
        String refusal = guard.refusal(jwt);
        if (refusal == null) {
            return Uni.createFrom().item(identity);
        }
        LOG.debugf("Refused an admin token of %s: %s", jwt.getClaim("client_id"), refusal);
        return Uni.createFrom().failure(new AuthenticationFailedException(refusal, new RevokedTokenException(refusal)));
    }
}
