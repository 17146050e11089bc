package io.keyhook.webhooks.api;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;

/**
 * PATCH: only the fields present change; {@code security} is replaced as a whole when present. A tuning field (issue
 * 31) that is absent stays as it is; given as {@code null} it goes back to the dispatcher's default; {@code headers},
 * when present, replaces the webhook's headers as a whole ({@code {}} or {@code null}: none). A class, not a record:
 * which tuning fields were present at all (even as null) is what a PATCH means, and a record cannot tell absent from
 * null. {@code purpose} cannot change (409 {@code purpose_immutable}); the same value is accepted.
 */
public final class WebhookPatchBody {

    @JsonProperty
    @Size(max = 2048)
    private String url;

    @JsonProperty
    @Size(min = 1, max = 200, message = "must list at least one notification type when given: a webhook with none"
            + " would receive nothing (to stop deliveries for a while, pause the webhook)")
    private List<@NotBlank @Size(max = 130) String> notificationTypes;

    @JsonProperty
    private Boolean paused;

    @JsonProperty
    @Valid
    private SecurityBody security;

    @JsonProperty
    @Pattern(regexp = WebhookBody.PURPOSE)
    private String purpose;

    @Schema(description = "an attempt's total deadline in ms; null: the dispatcher's default")
    private Integer timeoutMs;

    @Schema(description = "attempts in flight at once; null: the dispatcher's default")
    private Integer maxInFlight;

    @Schema(description = "attempts started per second at most (the rest wait, in order); null: no limit")
    private Integer rateLimitPerSecond;

    @Schema(description = "static headers added to every attempt, name -> value (replaced as a whole); not for secrets")
    private Map<String, String> headers;

    @JsonIgnore
    private final Set<String> given = new HashSet<>();

    public WebhookPatchBody() {
    }

    /** A PATCH of these fields (tests, and callers that set no tuning). */
    public WebhookPatchBody(String url, List<String> notificationTypes, Boolean paused, SecurityBody security) {
        this.url = url;
        this.notificationTypes = notificationTypes;
        this.paused = paused;
        this.security = security;
    }

    public String url() {
        return url;
    }

    public List<String> notificationTypes() {
        return notificationTypes;
    }

    public Boolean paused() {
        return paused;
    }

    public SecurityBody security() {
        return security;
    }

    public String purpose() {
        return purpose;
    }

    public Integer timeoutMs() {
        return timeoutMs;
    }

    public Integer maxInFlight() {
        return maxInFlight;
    }

    public Integer rateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Whether the body named this field at all (null included). */
    public boolean has(String field) {
        return given.contains(field);
    }

    @JsonSetter("timeoutMs")
    void timeoutMs(Integer v) {
        timeoutMs = v;
        given.add("timeoutMs");
    }

    @JsonSetter("maxInFlight")
    void maxInFlight(Integer v) {
        maxInFlight = v;
        given.add("maxInFlight");
    }

    @JsonSetter("rateLimitPerSecond")
    void rateLimitPerSecond(Integer v) {
        rateLimitPerSecond = v;
        given.add("rateLimitPerSecond");
    }

    @JsonSetter("headers")
    void headers(Map<String, String> v) {
        headers = v;
        given.add("headers");
    }
}
