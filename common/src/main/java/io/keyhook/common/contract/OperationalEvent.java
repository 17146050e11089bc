package io.keyhook.common.contract;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An operational event about one Environment's integration (issue 31), as published on
 * {@code keyhook.operational-events} (key = the Environment id, so one Environment's events keep their order): a
 * CloudEvents 1.0 structured-mode JSON record, like the data-change events, whose {@code type} is one of
 * {@link #TYPES}, {@code subject} the webhook or client it is about, with the extension attribute {@code environment}.
 * <p>
 * {@code id} is chosen by the emitter so that emitting the same fact twice (two replicas, a retried round) gives the
 * same id: consumers (the operational webhook, the e-mail notifier, the activity feed) drop an id they have seen.
 * {@code data} holds only ids, counts, times, statuses and sanitised error excerpts: never a secret, never a payload.
 * The fields each type carries are listed in docs/operational-events.md.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationalEvent(String id, String source, String type, Instant time, String subject, String environment,
        Map<String, Object> data) {

    /** The only CloudEvents version Keyhook writes. */
    public static final String SPECVERSION = "1.0";

    /** A delivery ended without reaching the receiver: its retries ran out ({@code failed}) or it was held too long. */
    public static final String DELIVERY_EXHAUSTED = "keyhook.delivery.exhausted";
    /** A webhook's deliveries keep failing (consecutive failures or failure rate over a window). */
    public static final String WEBHOOK_FAILING = "keyhook.webhook.failing";
    /** A webhook was paused by Keyhook: failing continuously for the auto-disable period, or its receiver said 410. */
    public static final String WEBHOOK_DISABLED = "keyhook.webhook.disabled";
    /** A webhook that was failing delivers again. */
    public static final String WEBHOOK_RECOVERED = "keyhook.webhook.recovered";
    /** Deliveries held for a paused webhook will expire soon unless it is resumed. */
    public static final String HELD_EXPIRING = "keyhook.held.expiring";
    /** An API client's secret or key reaches its maximum age soon. */
    public static final String CREDENTIAL_EXPIRING = "keyhook.credential.expiring";
    /** A webhook's gap manifest lists records it missed: fetch it and re-pull those records. */
    public static final String GAPS_AVAILABLE = "keyhook.gaps.available";

    /** Every operational event type. */
    public static final Set<String> TYPES = Set.of(DELIVERY_EXHAUSTED, WEBHOOK_FAILING, WEBHOOK_DISABLED,
            WEBHOOK_RECOVERED, HELD_EXPIRING, CREDENTIAL_EXPIRING, GAPS_AVAILABLE);

    /** Written with the event, so the JSON of this record is a whole CloudEvent. */
    @JsonProperty("specversion")
    public String specversion() {
        return SPECVERSION;
    }

    /** Written with the event: {@code data} is a JSON object. */
    @JsonProperty("datacontenttype")
    public String datacontenttype() {
        return "application/json";
    }
}
