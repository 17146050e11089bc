package io.keyhook.token.view;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.contract.EnvironmentStateRecord;
import io.keyhook.common.security.TokenSigningAlgorithm;
import io.keyhook.common.view.FollowedEnvironments;

/**
 * Every Environment as {@code keyhook.environments} carries it: here for the access-token algorithm an operator chose
 * for an Environment ({@code tokenSigningAlg}).
 */
@ApplicationScoped
public class EnvironmentView extends FollowedEnvironments {

    /** The Environment's own token algorithm, or {@code fallback} when it names none (or one this build lacks). */
    public TokenSigningAlgorithm tokenSigningAlgorithm(String environmentId, TokenSigningAlgorithm fallback) {
        EnvironmentStateRecord e = environmentId == null ? null : environment(environmentId);
        TokenSigningAlgorithm chosen = e == null ? null : TokenSigningAlgorithm.parse(e.tokenSigningAlg());
        return chosen == null ? fallback : chosen;
    }
}
