package io.keyhook.webhooks.client;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.keyhook.common.client.ServiceCalls;
import io.keyhook.common.error.Problem;
import io.keyhook.common.error.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * The secrets a webhook uses are leased in credentials-service, which then refuses to invalidate them. Setting the
 * lease checks the choice too: only active secrets of active clients of the same Environment; anything else comes back
 * as 422 naming each bad entry. No answer: 503 {@code credentials_unavailable}, nothing changed.
 */
@ApplicationScoped
public class Leases {

    private static final String UNAVAILABLE = "credentials-service could not confirm the secrets; nothing was changed."
            + " Try again shortly.";

    @Inject
    @RestClient
    CredentialsInternalApi api;

    /** Makes {@code secretIds} exactly the secrets the webhook holds. */
    public Uni<Void> set(String webhookId, String environment, List<String> secretIds) {
        Uni<Void> call = api.setLeases(webhookId, new CredentialsInternalApi.LeaseSet(environment, secretIds))
                .onFailure(ProblemException.class).transform(Leases::refusal);
        return ServiceCalls.answered(call, "Secret leases", "credentials_unavailable", UNAVAILABLE, 5);
    }

    /** Releases every secret the webhook held (deleting it); one credentials-service does not know is released. */
    public Uni<Void> release(String webhookId) {
        Uni<Void> call = api.releaseLeases(webhookId).onFailure(ServiceCalls::notFound).recoverWithNull()
                .onFailure(ProblemException.class).transform(Leases::refusal);
        return ServiceCalls.answered(call, "Secret leases", "credentials_unavailable", UNAVAILABLE, 5);
    }

    /**
     * A 422 names the entries of the lease, which the admin wrote under {@code security}. Any other refusal is not the
     * admin's doing (the internal API's rules are ours): it counts as no answer.
     */
    private static Throwable refusal(Throwable failure) {
        ProblemException p = (ProblemException) failure;
        if (p.status() != 422) {
            return new IllegalStateException("credentials-service refused the leases: " + p.status() + " " + p.code());
        }
        List<Problem.FieldError> errors = p.errors().stream()
                .map(e -> new Problem.FieldError("security." + e.field(), e.message())).toList();
        return new ProblemException(422, "secret_not_usable", "Unprocessable request",
                "Only active secrets of active clients of this Environment can secure a webhook", errors, null);
    }
}
