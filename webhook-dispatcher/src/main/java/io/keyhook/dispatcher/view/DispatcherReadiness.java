package io.keyhook.dispatcher.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until every view holds everything that was on their topics at start. */
@Readiness
@ApplicationScoped
public class DispatcherReadiness implements HealthCheck {

    @Inject
    WebhookView webhooks;

    @Inject
    SigningSecrets secrets;

    @Inject
    EnvironmentView environments;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("views")
                .status(webhooks.caughtUp() && secrets.caughtUp() && environments.caughtUp())
                .withData("webhooks", webhooks.size()).withData("webhooksCaughtUp", webhooks.caughtUp())
                .withData("secretsCaughtUp", secrets.caughtUp())
                .withData("environmentsCaughtUp", environments.caughtUp()).build();
    }
}
