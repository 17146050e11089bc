package io.keyhook.webhooks.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.keyhook.webhooks.api.WebhookResponse;
import io.keyhook.webhooks.client.DispatcherApi;
import io.smallrye.mutiny.Uni;

/**
 * Adds each webhook's circuit breaker, as webhook-dispatcher knows it, to webhook answers. One call per answer (per
 * list, not per webhook). If the dispatcher cannot answer, the webhook is still answered, with the breaker
 * {@code unknown}: it is information, not a reason to fail.
 */
@ApplicationScoped
public class WebhookBreakers {

    private static final Logger LOG = Logger.getLogger(WebhookBreakers.class);

    @Inject
    @RestClient
    DispatcherApi dispatcher;

    public Uni<WebhookResponse> add(String env, Uni<WebhookResponse> answer) {
        return answer.chain(w -> of(env).map(b -> w.withBreaker(breaker(b, w.id()))));
    }

    public Uni<List<WebhookResponse>> addAll(String env, Uni<List<WebhookResponse>> answer) {
        return answer.chain(list -> list.isEmpty() ? Uni.createFrom().item(list)
                : of(env).map(b -> list.stream().map(w -> w.withBreaker(breaker(b, w.id()))).toList()));
    }

    /** The Environment's breakers that are not closed, or null when the dispatcher could not be asked. */
    private Uni<Map<String, DispatcherApi.Breaker>> of(String env) {
        return dispatcher.breakers(env).map(DispatcherApi.Breakers::breakers).onFailure().recoverWithItem(e -> {
            LOG.debugf("No breakers from the dispatcher for %s (%s)", env, e.toString());
            return null;
        });
    }

    private static WebhookResponse.Breaker breaker(Map<String, DispatcherApi.Breaker> breakers, String webhookId) {
        if (breakers == null) {
            return WebhookResponse.Breaker.UNKNOWN;
        }
        DispatcherApi.Breaker b = breakers.get(webhookId);
        return b == null ? WebhookResponse.Breaker.CLOSED
                : new WebhookResponse.Breaker(b.state(), b.openedAt(), b.openUntil());
    }
}
