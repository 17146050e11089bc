package io.keyhook.token.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the Environment view has read everything that was on the topic at start: before that, a token of an
 * Environment that chose its own algorithm would be signed with the default one, which its resource server refuses.
 */
@Readiness
@ApplicationScoped
public class EnvironmentViewReadiness implements HealthCheck {

    @Inject
    EnvironmentView view;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("environment-view").status(view.caughtUp())
                .withData("environments", view.size()).build();
    }
}
