package io.keyhook.webhooks.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.keyhook.common.security.Caller;
import io.keyhook.webhooks.client.EnvironmentDirectory;
import io.keyhook.webhooks.view.EnvironmentView;
import io.smallrye.mutiny.Uni;

/**
 * Read-your-writes for Environments. This service learns Environments from {@code keyhook.environments}, which trails
 * credentials-service by some milliseconds; automation that creates an Environment and then its webhook must not get a
 * 404 in between. So before any {@code /environments/{env}/...} request whose Environment the view does not hold yet
 * (and which the caller may touch), credentials-service is asked with the caller's own token and its answer added to
 * the view. Unknown there too: the usual 404 follows. credentials-service unreachable: 503, nothing changed.
 */
public class EnvironmentReadYourWrites {

    @Inject
    Caller caller;

    @Inject
    EnvironmentView environments;

    @Inject
    EnvironmentDirectory directory;

    @ServerRequestFilter
    public Uni<Void> learnUnseenEnvironment(ContainerRequestContext request) {
        String env = request.getUriInfo().getPathParameters().getFirst("env");
        if (env == null || environments.environment(env) != null || !caller.mayAccess(env)) {
            return Uni.createFrom().voidItem();
        }
        return directory.fetch(caller.bearer(), env).invoke(e -> {
            if (e != null && env.equals(e.id())) {
                environments.learn(e);
            }
        }).replaceWithVoid();
    }
}
