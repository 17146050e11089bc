package io.keyhook.webhooks.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.net.WebhookHeaders;
import io.keyhook.webhooks.config.WebhooksConfig;

/**
 * Whether a webhook's tuning (issue 31) is within the operator's bounds ({@code keyhook.webhooks.tuning.*}). Every bad
 * field is reported at once; the answer's {@code code} is the first one's: {@code tuning_out_of_bounds} for a number,
 * or the header's own ({@link WebhookHeaders}: {@code header_name_denied}, {@code header_name_invalid},
 * {@code header_value_invalid}, {@code header_duplicate}, {@code too_many_headers}, {@code headers_too_large}), with
 * {@code header} naming it. A header's value is never in the answer.
 */
final class TuningValidator {

    static final String OUT_OF_BOUNDS = "tuning_out_of_bounds";

    private TuningValidator() {
    }

    /** The refusal of {@code t}, or null when it may be saved. */
    static ProblemException problem(WebhookState.Tuning t, WebhooksConfig.Tuning bounds) {
        if (t == null) {
            return null;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String code = null;
        String header = null;
        if (outside(t.timeoutMs(), bounds.minTimeoutMs(), bounds.maxTimeoutMs())) {
            errors.add(new Problem.FieldError("timeoutMs",
                    "must be from " + bounds.minTimeoutMs() + " to " + bounds.maxTimeoutMs() + " (ms), or null"));
        }
        if (outside(t.maxInFlight(), 1, bounds.maxInFlight())) {
            errors.add(
                    new Problem.FieldError("maxInFlight", "must be from 1 to " + bounds.maxInFlight() + ", or null"));
        }
        if (outside(t.rateLimitPerSecond(), 1, bounds.maxRatePerSecond())) {
            errors.add(new Problem.FieldError("rateLimitPerSecond",
                    "must be from 1 to " + bounds.maxRatePerSecond() + " (per second), or null"));
        }
        if (!errors.isEmpty()) {
            code = OUT_OF_BOUNDS;
        }
        for (WebhookHeaders.Refusal r : WebhookHeaders.check(t.headers(), bounds.maxHeaders(),
                bounds.maxHeaderBytes())) {
            errors.add(new Problem.FieldError(r.header() == null ? "headers" : "headers." + r.header(), r.message()));
            if (code == null) {
                code = r.code();
                header = r.header();
            }
        }
        if (errors.isEmpty()) {
            return null;
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (header != null) {
            extensions.put("header", header);
        }
        return new ProblemException(422, code, "Unprocessable request",
                header != null ? "The header " + header + " cannot be set; see errors"
                        : "The webhook's tuning is not valid; see errors",
                errors, extensions);
    }

    private static boolean outside(Integer v, int min, int max) {
        return v != null && (v < min || v > max);
    }
}
