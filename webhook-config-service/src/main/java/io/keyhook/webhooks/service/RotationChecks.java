package io.keyhook.webhooks.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.keyhook.core.error.ProblemException;
import io.keyhook.core.text.SafeText;
import io.keyhook.webhooks.client.CredentialsInternalApi;
import io.keyhook.webhooks.client.DispatcherPingApi;
import io.keyhook.webhooks.config.WebhooksConfig;
import io.keyhook.webhooks.persistence.RotationRow;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.keyhook.webhooks.persistence.WebhookRow;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Runs a verified rotation's two checks: each webhook that signs with the new secret gets a {@code keyhook.ping} signed
 * with the new secret only (webhook-dispatcher sends it) and must answer 2xx; and the old secret must have gone unused
 * by the app for {@code keyhook.webhooks.rotation-quiet-period}. Never fails: what could not be checked is a failed
 * check, with the reason.
 */
@ApplicationScoped
public class RotationChecks {

    private final Pool pool;
    private final WebhookRepository webhookRows;
    private final DispatcherPingApi pings;
    private final CredentialsInternalApi credentials;
    private final Duration quietPeriod;

    RotationChecks(Pool pool, WebhookRepository webhookRows, @RestClient DispatcherPingApi pings,
            @RestClient CredentialsInternalApi credentials, WebhooksConfig config) {
        this.pool = pool;
        this.webhookRows = webhookRows;
        this.pings = pings;
        this.credentials = credentials;
        this.quietPeriod = config.rotationQuietPeriod();
    }

    public Uni<RotationVerification> run(RotationRow r) {
        Instant now = Instant.now();
        return receiver(r).chain(receiver -> app(r, now)
                .map(app -> new RotationVerification(receiver.passed() && app.passed(), now, receiver, app, null)));
    }

    private Uni<RotationVerification.Receiver> receiver(RotationRow r) {
        if (r.newSecretId() == null) {
            return Uni.createFrom().item(new RotationVerification.Receiver(false, List.of()));
        }
        return webhookRows.list(pool, r.environment()).chain(rows -> {
            List<String> signing = rows.stream().filter(w -> w.secretIds().contains(r.newSecretId()))
                    .map(WebhookRow::id).toList();
            // no webhook signs with it: no receiver has anything to prove
            return Multi.createFrom().iterable(signing).onItem().transformToUniAndConcatenate(w -> ping(r, w)).collect()
                    .asList().map(list -> new RotationVerification.Receiver(
                            list.stream().allMatch(RotationVerification.Ping::delivered), list));
        });
    }

    private Uni<RotationVerification.Ping> ping(RotationRow r, String webhookId) {
        return pings
                .ping(r.environment(), webhookId,
                        new DispatcherPingApi.PingBody(List.of(r.newSecretId()), null, "rotation_check"))
                .map(p -> new RotationVerification.Ping(webhookId, p.delivered(), p.statusCode(), p.error(),
                        p.messageId()))
                .onFailure().recoverWithItem(e -> new RotationVerification.Ping(webhookId, false, null,
                        "webhook-dispatcher could not ping: " + reason(e), null));
    }

    private Uni<RotationVerification.App> app(RotationRow r, Instant now) {
        String period = quietPeriod.toString();
        return credentials.secrets(r.environment(), r.clientId()).map(list -> {
            var old = list.stream().filter(s -> s.id().equals(r.oldSecretId())).findFirst().orElse(null);
            if (old == null || !"active".equals(old.status())) {
                // gone or invalidated already: nothing can use it
                return new RotationVerification.App(true, r.oldSecretId(), old == null ? null : old.lastUsedAt(),
                        period, null, null);
            }
            Instant until = old.lastUsedAt() == null ? null : old.lastUsedAt().plus(quietPeriod);
            return new RotationVerification.App(until == null || !now.isBefore(until), r.oldSecretId(),
                    old.lastUsedAt(), period, until, null);
        }).onFailure().recoverWithItem(e -> new RotationVerification.App(false, r.oldSecretId(), null, period, null,
                "credentials-service could not say: " + reason(e)));
    }

    static String reason(Throwable e) {
        String m = e instanceof ProblemException p ? p.code() + " " + p.getMessage() : e.toString();
        return SafeText.sanitize(m, 200);
    }
}
