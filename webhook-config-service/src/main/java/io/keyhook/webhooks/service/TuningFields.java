package io.keyhook.webhooks.service;

import java.util.LinkedHashMap;
import java.util.Map;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.webhooks.api.WebhookBody;
import io.keyhook.webhooks.api.WebhookPatchBody;

/**
 * A webhook's tuning (issue 31) as a request sets it: null when every field is the dispatcher's default (so the
 * webhook's record stays as it was published before issue 31), no headers when none are given.
 */
final class TuningFields {

    private TuningFields() {
    }

    /** What a POST or PUT sets: the body's fields, absent ones the default. */
    static WebhookState.Tuning of(WebhookBody b) {
        return of(b.timeoutMs(), b.maxInFlight(), b.rateLimitPerSecond(), b.headers());
    }

    /**
     * What a PATCH leaves: a field absent from the body stays as it was, one given as null goes back to the default.
     */
    static WebhookState.Tuning patched(WebhookState.Tuning old, WebhookPatchBody b) {
        WebhookState.Tuning was = old == null ? new WebhookState.Tuning(null, null, null, null) : old;
        return of(b.has("timeoutMs") ? b.timeoutMs() : was.timeoutMs(),
                b.has("maxInFlight") ? b.maxInFlight() : was.maxInFlight(),
                b.has("rateLimitPerSecond") ? b.rateLimitPerSecond() : was.rateLimitPerSecond(),
                b.has("headers") ? b.headers() : was.headers());
    }

    static WebhookState.Tuning of(Integer timeoutMs, Integer maxInFlight, Integer rate, Map<String, String> headers) {
        Map<String, String> h = headers == null || headers.isEmpty() ? null : new LinkedHashMap<>(headers);
        if (timeoutMs == null && maxInFlight == null && rate == null && h == null) {
            return null;
        }
        return new WebhookState.Tuning(timeoutMs, maxInFlight, rate, h);
    }
}
