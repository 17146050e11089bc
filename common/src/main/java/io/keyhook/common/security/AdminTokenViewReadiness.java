package io.keyhook.common.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the view of admin clients has read everything that was on {@code keyhook.credentials} at start: a
 * replica that cannot yet tell a revoked admin from a valid one must not take traffic (it would refuse valid tokens of
 * clients it has not read yet, or, worse, be tempted to accept revoked ones).
 */
@Readiness
@ApplicationScoped
public class AdminTokenViewReadiness implements HealthCheck {

    @Inject
    AdminTokenGuard guard;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("admin-token-view").status(guard.ready()).build();
    }
}
