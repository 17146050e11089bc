package io.keyhook.webhooks.service;

import java.util.List;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.webhooks.persistence.WebhookRow;

/**
 * The rules of a webhook's purpose (issue 31): a data webhook opts into at least one notification type; the
 * Environment's one operational webhook takes none (it gets every operational event); the purpose never changes.
 */
final class WebhookPurposes {

    static final String NO_TYPES = "must list at least one notification type: a webhook with none would receive"
            + " nothing (to stop deliveries for a while, pause the webhook)";

    private WebhookPurposes() {
    }

    /** The purpose a create asks for: {@code data} when absent. */
    static String requested(String purpose) {
        return purpose == null ? WebhookState.DATA : purpose;
    }

    /** The notification types a webhook of {@code purpose} stores, or the refusal of {@code types}. */
    static List<String> types(String purpose, List<String> types) {
        if (WebhookState.OPERATIONAL.equals(purpose)) {
            if (types != null && !types.isEmpty()) {
                throw ProblemException.badRequest("notification_types_not_applicable",
                        "An operational webhook gets every operational event of its Environment: it takes no"
                                + " notificationTypes");
            }
            return List.of();
        }
        if (types == null || types.isEmpty()) {
            throw new ProblemException(422, "validation_failed", "Unprocessable request",
                    "The webhook is not valid; see errors",
                    List.of(new Problem.FieldError("notificationTypes", NO_TYPES)), null);
        }
        return types;
    }

    /** 409 {@code purpose_immutable} when a PUT or PATCH asks for another purpose than {@code old}'s. */
    static void unchanged(WebhookRow old, String purpose) {
        if (purpose != null && !purpose.equals(old.purpose())) {
            throw ProblemException.conflict("purpose_immutable", "A webhook's purpose is set when it is created ("
                    + old.purpose() + "); create another webhook for the other purpose");
        }
    }

    /** 409 {@code operational_webhook_exists}: the Environment has its operational webhook already. */
    static ProblemException operationalExists(String env) {
        return ProblemException.conflict("operational_webhook_exists", "Environment " + env
                + " already has its operational webhook (at most one per Environment); change that one instead");
    }
}
