package io.keyhook.webhooks.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.config.DestinationsConfig;
import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.net.DestinationPolicy;
import io.keyhook.core.net.TokenUrlPolicy;
import io.keyhook.core.net.UnsafeDestinationException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Applies the shared {@link DestinationPolicy} to webhook URLs and token URLs when they are saved, as set by
 * {@link DestinationsConfig} (the same setting the dispatcher checks before each request).
 */
@ApplicationScoped
public class Destinations {

    private static final Logger LOG = Logger.getLogger(Destinations.class);

    @Inject
    DestinationsConfig config;

    @Inject
    DestinationResolver resolver;

    private volatile DestinationPolicy policy;
    private volatile TokenUrlPolicy tokenUrls;

    void warn(@Observes StartupEvent event) {
        if (config.allowHttp()) {
            LOG.warn("Plain-http webhook destinations are allowed (keyhook.webhooks.destinations.allow-http): for"
                    + " local development only");
        }
        if (config.allowedCidrs().isPresent() && !config.allowedCidrs().get().isEmpty()) {
            LOG.warnf("Webhook destinations in these ranges are allowed although not public: %s",
                    config.allowedCidrs().get());
        }
    }

    /** Checks {@code url} (resolving its host on a worker thread); a refusal is a 422 naming {@code field}. */
    public Uni<Void> check(String field, String url) {
        return Uni.createFrom().item(() -> {
            try {
                policy().check(url);
                return null;
            } catch (UnsafeDestinationException e) {
                throw new ProblemException(422, e.code(), "Unprocessable request", e.getMessage(),
                        List.of(new Problem.FieldError(field, e.getMessage())), null);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid();
    }

    /** token-exchange: the token URL must belong to the destination's site (a 422 on {@code security.tokenUrl}). */
    public void checkTokenUrl(String destination, String tokenUrl) {
        try {
            tokenUrls().check(destination, tokenUrl);
        } catch (UnsafeDestinationException e) {
            throw new ProblemException(422, e.code(), "Unprocessable request", e.getMessage(),
                    List.of(new Problem.FieldError("security.tokenUrl", e.getMessage())), null);
        }
    }

    private TokenUrlPolicy tokenUrls() {
        if (tokenUrls == null) {
            tokenUrls = config.tokenUrlPolicy();
        }
        return tokenUrls;
    }

    private DestinationPolicy policy() {
        if (policy == null) {
            policy = config.policy(resolver::resolve);
        }
        return policy;
    }
}
