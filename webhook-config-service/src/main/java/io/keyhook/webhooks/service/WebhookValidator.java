package io.keyhook.webhooks.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.SecurityMethods;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.keyhook.webhooks.view.EnvironmentView;
import io.smallrye.mutiny.Uni;

/**
 * Whether a webhook, as it would be after a change, may be saved: every bad field is reported at once (422
 * {@code validation_failed}), then its destinations are checked (safe to connect to; a token URL that is the receiver's
 * own).
 */
@ApplicationScoped
public class WebhookValidator {

    static final String TOKEN_EXCHANGE = SecurityMethods.TOKEN_EXCHANGE;

    private final EnvironmentView environments;
    private final Destinations destinations;
    private final WebhooksConfig config;

    @Inject
    WebhookValidator(EnvironmentView environments, Destinations destinations, WebhooksConfig config) {
        this.environments = environments;
        this.destinations = destinations;
        this.config = config;
    }

    /**
     * Tuning within the operator's bounds (its own codes, {@link TuningValidator}); types offered, exact, no
     * duplicates; secrets distinct; token URL only (and always) for token-exchange.
     */
    public Uni<Void> validate(WebhookRow w) {
        ProblemException tuning = TuningValidator.problem(w.tuning(), config.tuning());
        if (tuning != null) {
            return Uni.createFrom().failure(tuning);
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        List<String> offered = environments.notificationTypes(w.environment());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < w.notificationTypes().size(); i++) {
            String t = w.notificationTypes().get(i);
            String field = "notificationTypes[" + i + "]";
            if (t.contains("*")) {
                errors.add(new Problem.FieldError(field, "wildcards are not allowed: list exact types"));
            } else if (!offered.contains(t)) {
                errors.add(new Problem.FieldError(field,
                        "not a notification type of this Environment's Configuration (see .../notification-types)"));
            } else if (!seen.add(t)) {
                errors.add(new Problem.FieldError(field, "listed twice"));
            }
        }
        if (w.notificationTypes().size() > config.maxNotificationTypes()) {
            errors.add(
                    new Problem.FieldError("notificationTypes", "at most " + config.maxNotificationTypes() + " types"));
        }
        if (new HashSet<>(w.secretIds()).size() != w.secretIds().size()) {
            errors.add(new Problem.FieldError("security.secretIds", "a secret is listed twice"));
        }
        if (TOKEN_EXCHANGE.equals(w.method()) && (w.tokenUrl() == null || w.tokenUrl().isBlank())) {
            errors.add(new Problem.FieldError("security.tokenUrl", "token-exchange needs the receiver's token URL"));
        }
        if (!TOKEN_EXCHANGE.equals(w.method()) && w.tokenUrl() != null) {
            errors.add(new Problem.FieldError("security.tokenUrl", "only token-exchange takes a token URL"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(422, "validation_failed", "Unprocessable request",
                    "The webhook is not valid; see errors", errors, null));
        }
        Uni<Void> checks = destinations.check("url", w.url());
        if (TOKEN_EXCHANGE.equals(w.method())) {
            // safe to connect to, and the receiver's own: the webhook's client secret is sent there
            checks = checks.chain(() -> destinations.check("security.tokenUrl", w.tokenUrl()))
                    .invoke(() -> destinations.checkTokenUrl(w.url(), w.tokenUrl()));
        }
        return checks;
    }
}
