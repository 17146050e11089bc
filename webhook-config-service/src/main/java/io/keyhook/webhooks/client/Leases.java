package io.keyhook.webhooks.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.keyhook.common.client.ServiceCalls;
import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.SecurityMethods;
import io.keyhook.core.net.TokenUrlPolicy;
import io.smallrye.mutiny.Uni;

/**
 * The secrets a webhook uses are leased in credentials-service, which then refuses to invalidate them. Setting the
 * lease checks the choice too: only active secrets of active clients of the same Environment; anything else comes back
 * as 422 naming each bad entry, and so does a token-exchange secret already sent to another site (422
 * {@code secret_pinned_elsewhere}). No answer: 503 {@code credentials_unavailable}, nothing changed.
 */
@ApplicationScoped
public class Leases {

    private static final String TOKEN_EXCHANGE = SecurityMethods.TOKEN_EXCHANGE;
    private static final String PINNED = "secret_pinned_elsewhere";
    private static final String UNAVAILABLE = "credentials-service could not confirm the secrets; nothing was changed."
            + " Try again shortly.";

    @Inject
    @RestClient
    CredentialsInternalApi api;

    /**
     * What a token-exchange webhook sends to its receiver: {@code secretIds} (HTTP Basic) to the token endpoint on
     * {@code site} (common's TokenUrlPolicy.siteOf). credentials-service pins each secret to the first such site.
     */
    public record Disclosure(String site, List<String> secretIds) {

        /**
         * What a webhook with this security discloses: for token-exchange, its secrets to its token URL's site (the
         * same rule as the token URL check); for the signing methods nothing (null).
         */
        public static Disclosure of(String method, String tokenUrl, List<String> secretIds) {
            return TOKEN_EXCHANGE.equals(method) ? new Disclosure(TokenUrlPolicy.siteOf(tokenUrl), secretIds) : null;
        }
    }

    /**
     * Makes {@code secretIds} exactly the secrets the webhook holds; {@code disclosure} (null unless token-exchange)
     * says which of them go to which site.
     */
    public Uni<Void> set(String webhookId, String environment, List<String> secretIds, Disclosure disclosure) {
        var lease = new CredentialsInternalApi.LeaseSet(environment, secretIds,
                disclosure == null ? null : new CredentialsInternalApi.LeaseDisclosure(TOKEN_EXCHANGE,
                        disclosure.site(), disclosure.secretIds()));
        Uni<Void> call = api.setLeases(webhookId, lease).onFailure(ProblemException.class)
                .transform(e -> refusal(e, disclosure));
        return ServiceCalls.answered(call, "Secret leases", "credentials_unavailable", UNAVAILABLE, 5);
    }

    /** Releases every secret the webhook held (deleting it); one credentials-service does not know is released. */
    public Uni<Void> release(String webhookId) {
        Uni<Void> call = api.releaseLeases(webhookId).onFailure(ServiceCalls::notFound).recoverWithNull()
                .onFailure(ProblemException.class).transform(e -> refusal(e, null));
        return ServiceCalls.answered(call, "Secret leases", "credentials_unavailable", UNAVAILABLE, 5);
    }

    /**
     * A 422 names the entries of the lease, which the admin wrote under {@code security}. Any other refusal is not the
     * admin's doing (the internal API's rules are ours): it counts as no answer.
     */
    private static Throwable refusal(Throwable failure, Disclosure disclosure) {
        ProblemException p = (ProblemException) failure;
        if (p.status() == 422 && PINNED.equals(p.code()) && disclosure != null) {
            return pinnedElsewhere(p, disclosure);
        }
        if (p.status() != 422) {
            return new IllegalStateException("credentials-service refused the leases: " + p.status() + " " + p.code());
        }
        List<Problem.FieldError> errors = p.errors().stream()
                .map(e -> new Problem.FieldError("security." + e.field(), e.message())).toList();
        return new ProblemException(422, "secret_not_usable", "Unprocessable request",
                "Only active secrets of active clients of this Environment can secure a webhook", errors, null);
    }

    /**
     * A secret already sent to another site's token endpoint: named under {@code security.secretIds[i]} as the admin
     * listed it, with that site, and {@code disclosedTo} (secret id → site) as credentials-service answered it.
     */
    private static ProblemException pinnedElsewhere(ProblemException p, Disclosure disclosure) {
        Map<String, String> disclosedTo = new LinkedHashMap<>();
        if (p.extensions().get("disclosedTo") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> disclosedTo.put(String.valueOf(k), String.valueOf(v)));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        disclosedTo.forEach((secretId, site) -> errors.add(new Problem.FieldError(
                "security.secretIds[" + disclosure.secretIds().indexOf(secretId) + "]",
                "secret " + secretId + " was sent to " + site + " for token exchange and may go to no other site")));
        String sites = String.join(", ", new LinkedHashSet<>(disclosedTo.values()));
        return new ProblemException(422, PINNED, "Unprocessable request",
                "A token-exchange secret is sent only to the" + " site it was first sent to (" + sites + "), never to "
                        + disclosure.site() + ": create a new secret, of a client made for this receiver, and use that",
                errors, Map.of("disclosedTo", disclosedTo));
    }
}
