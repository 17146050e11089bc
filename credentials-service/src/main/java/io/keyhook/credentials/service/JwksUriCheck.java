package io.keyhook.credentials.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.config.DestinationsConfig;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.net.DestinationPolicy;
import io.keyhook.core.net.UnsafeDestinationException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Checks a private_key_jwt client's {@code jwksUri} when it is saved, with the rule webhook destinations follow (common
 * {@link DestinationPolicy}, set by {@code keyhook.webhooks.destinations.*}: https unless {@code allow-http}, no
 * user-info, no fragment, at most {@value DestinationPolicy#MAX_URL_LENGTH} characters, and no address that reaches
 * inside unless its range is in {@code allowed-cidrs}). token-service checks again each time it fetches, so DNS
 * rebinding after the save gains nothing.
 */
@ApplicationScoped
public class JwksUriCheck {

    @Inject
    DestinationsConfig config;

    private volatile DestinationPolicy policy;

    JwksUriCheck() {
    }

    /** With a policy of its own (tests: the allow settings, without a Quarkus profile of their own). */
    JwksUriCheck(DestinationPolicy policy) {
        this.policy = policy;
    }

    /** Checks {@code url}, resolving its host on a worker thread; a refusal is a 400 {@code jwks_uri_*} problem. */
    public Uni<String> check(String url) {
        Context caller = Vertx.currentContext();
        return Uni.createFrom().item(() -> {
            try {
                policy().check(url);
                return url;
            } catch (UnsafeDestinationException e) {
                // destination_not_public -> jwks_uri_not_public, and so on: the same reasons, named for this field
                String code = "jwks_uri_" + e.code().replaceFirst("^destination_", "");
                throw ProblemException.badRequest(code, "jwksUri: " + e.getMessage());
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                // carry on where the request was: Hibernate Reactive's session must stay on its event loop
                .emitOn(task -> {
                    if (caller != null) {
                        caller.runOnContext(v -> task.run());
                    } else {
                        task.run();
                    }
                });
    }

    private DestinationPolicy policy() {
        if (policy == null) {
            policy = config.policy(DestinationPolicy.SYSTEM);
        }
        return policy;
    }
}
