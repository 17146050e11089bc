package io.keyhook.common.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until both views the admin-token check decides with have read everything that was on their topics at start
 * ({@code keyhook.credentials}, {@code keyhook.token-revocations}), and DOWN again while either cannot be read (the
 * topic absent, no permission, a failing broker): a replica that cannot tell a revoked admin from a valid one must not
 * take traffic. Each topic's state is in the check's data, so the reason is named.
 */
@Readiness
@ApplicationScoped
public class AdminTokenViewReadiness implements HealthCheck {

    @Inject
    AdminTokenGuard guard;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("admin-token-view").status(guard.ready());
        guard.viewStates().forEach(response::withData);
        return response.build();
    }
}
