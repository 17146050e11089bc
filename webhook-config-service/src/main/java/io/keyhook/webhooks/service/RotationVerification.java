package io.keyhook.webhooks.service;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The proof a verified rotation asks for before its finish, as the rotation's answers show it ({@code checks}):
 * {@code receiver} — every webhook signing with the new secret answered 2xx to a {@code keyhook.ping} signed with the
 * new secret only; {@code app} — the old secret has not been used ({@code lastUsedAt}) for the quiet period.
 * {@code override}: an admin finished without the proof, and why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotationVerification(boolean passed, Instant checkedAt, Receiver receiver, App app, Override override) {

    /** The receivers' side: one ping per webhook that signs with the new secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Receiver(boolean passed, List<Ping> pings) {
    }

    /** One ping and what the receiver answered; {@code error} when nothing was answered. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ping(String webhookId, boolean delivered, Integer statusCode, String error, String messageId) {
    }

    /**
     * The app's side: {@code lastUsedAt} of the old secret; {@code quietUntil} when the quiet period ({@code ISO-8601})
     * ends; {@code error} when credentials-service could not say.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record App(boolean passed, String oldSecretId, Instant lastUsedAt, String quietPeriod, Instant quietUntil,
            String error) {
    }

    /** Who finished without the proof, when, and the reason they recorded. */
    public record Override(String by, String reason, Instant at) {
    }

    public RotationVerification overridden(Override o) {
        return new RotationVerification(passed, checkedAt, receiver, app, o);
    }

    /** One line for the audit log and the 409's detail. */
    public String summary() {
        String r = receiver.passed() ? "receiver verified the new secret"
                : "receiver did not verify the new secret (" + receiver.pings().stream().filter(p -> !p.delivered())
                        .map(p -> p.webhookId() + ": "
                                + (p.statusCode() != null ? "HTTP " + p.statusCode() : p.error()))
                        .reduce((a, b) -> a + ", " + b).orElse("no ping") + ")";
        String a = app.passed() ? "old secret quiet" : app.error() != null ? "old secret's use unknown: " + app.error()
                : "old secret used at " + app.lastUsedAt() + ", quiet from " + app.quietUntil();
        return r + "; " + a;
    }
}
