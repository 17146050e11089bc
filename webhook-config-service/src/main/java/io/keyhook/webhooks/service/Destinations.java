package io.keyhook.webhooks.service;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.net.Cidr;
import io.keyhook.core.net.DestinationPolicy;
import io.keyhook.core.net.TokenUrlPolicy;
import io.keyhook.core.net.UnsafeDestinationException;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Applies the shared {@link DestinationPolicy} to webhook URLs and token URLs when they are saved. */
@ApplicationScoped
public class Destinations {

    private static final Logger LOG = Logger.getLogger(Destinations.class);

    @Inject
    WebhooksConfig config;

    @Inject
    DestinationResolver resolver;

    private volatile DestinationPolicy policy;
    private volatile TokenUrlPolicy tokenUrls;

    void warn(@Observes StartupEvent event) {
        var d = config.destinations();
        if (d.allowHttp()) {
            LOG.warn("Plain-http webhook destinations are allowed (keyhook.webhooks.destinations.allow-http): for"
                    + " local development only");
        }
        if (d.allowedCidrs().isPresent() && !d.allowedCidrs().get().isEmpty()) {
            LOG.warnf("Webhook destinations in these ranges are allowed although not public: %s",
                    d.allowedCidrs().get());
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
            tokenUrls = new TokenUrlPolicy(Set.copyOf(config.destinations().tokenUrlHosts().orElse(List.of())));
        }
        return tokenUrls;
    }

    private DestinationPolicy policy() {
        if (policy == null) {
            var d = config.destinations();
            List<Cidr> allowed = d.allowedCidrs().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                    .map(Cidr::parse).toList();
            policy = new DestinationPolicy(d.allowHttp(), allowed, resolver::resolve);
        }
        return policy;
    }
}
