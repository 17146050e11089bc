package io.keyhook.token.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the credential view has read everything that was on the topic at start. */
@Readiness
@ApplicationScoped
public class CredentialViewReadiness implements HealthCheck {

    @Inject
    CredentialsTopicReader reader;

    @Inject
    CredentialView view;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("credential-view").status(reader.caughtUp()).withData("clients", view.size())
                .withData("recordsApplied", reader.applied()).build();
    }
}
