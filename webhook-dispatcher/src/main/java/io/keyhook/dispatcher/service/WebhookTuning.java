package io.keyhook.dispatcher.service;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.net.WebhookHeaders;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.view.WebhookView;

/**
 * A webhook's tuning as the dispatcher applies it (issue 31): its own {@code timeoutMs}, {@code maxInFlight},
 * {@code rateLimitPerSecond} and {@code headers} from {@code keyhook.webhooks}, else the dispatcher's defaults; a value
 * outside {@code keyhook.dispatcher.delivery.tuning.*} is clamped, and a header is checked against the deny-list again
 * ({@link WebhookHeaders#sendable}). Read from the view on each use, so a PATCH applies from the next attempt on.
 */
@ApplicationScoped
public class WebhookTuning implements Lanes.Limits {

    private final DispatcherConfig config;
    private final WebhookView webhooks;

    WebhookTuning(DispatcherConfig config, WebhookView webhooks) {
        this.config = config;
        this.webhooks = webhooks;
    }

    /** An attempt's total deadline for {@code w}. */
    public Duration timeout(WebhookState w) {
        Integer ms = w == null || w.tuning() == null ? null : w.tuning().timeoutMs();
        if (ms == null) {
            return config.delivery().timeout();
        }
        var b = config.delivery().tuning();
        return Duration.ofMillis(Math.max(b.minTimeout().toMillis(), Math.min(b.maxTimeout().toMillis(), ms)));
    }

    /** The longest an attempt may take, whatever its webhook's tuning (a stored claim must outlast it). */
    public Duration longestTimeout() {
        Duration t = config.delivery().timeout();
        Duration max = config.delivery().tuning().maxTimeout();
        return t.compareTo(max) >= 0 ? t : max;
    }

    @Override
    public java.util.Set<String> limited() {
        return webhooks.limited();
    }

    /** Attempts of the webhook in flight at once on this instance (its lane's slots). */
    @Override
    public int maxInFlight(String webhookId) {
        WebhookState w = webhooks.webhook(webhookId);
        Integer n = w == null || w.tuning() == null ? null : w.tuning().maxInFlight();
        return n == null ? config.delivery().perWebhookConcurrency()
                : Math.max(1, Math.min(config.delivery().tuning().maxInFlight(), n));
    }

    /** Attempts of the webhook started per second at most on this instance; 0 = no limit. */
    @Override
    public int ratePerSecond(String webhookId) {
        WebhookState w = webhooks.webhook(webhookId);
        Integer n = w == null || w.tuning() == null ? null : w.tuning().rateLimitPerSecond();
        return n == null ? 0 : Math.max(1, Math.min(config.delivery().tuning().maxRatePerSecond(), n));
    }

    /** The static headers to add to an attempt: only those the deny-list lets through. */
    public static Map<String, String> headers(WebhookState w) {
        return w == null || w.tuning() == null ? Map.of() : WebhookHeaders.sendable(w.tuning().headers());
    }
}
