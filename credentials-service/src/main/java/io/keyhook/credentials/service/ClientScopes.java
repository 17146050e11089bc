package io.keyhook.credentials.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.core.error.ProblemException;
import io.keyhook.core.scope.ScopeRegistration;
import io.keyhook.credentials.persistence.ConfigurationRepository;
import io.keyhook.credentials.persistence.EnvironmentEntity;
import io.smallrye.mutiny.Uni;

/**
 * Checks the scopes an admin allows a client (issue 30) against the grammar and the data types of the Environment's
 * Configuration. A refusal is a 400 whose {@code code} says which rule and whose {@code scope} names the bad scope.
 */
@ApplicationScoped
public class ClientScopes {

    /**
     * {@code "scopes": []}: a client allowed nothing could get no useful token; leave the field out for the default.
     */
    static final String EMPTY = "scopes_empty";

    private final ConfigurationRepository configurations;

    ClientScopes(ConfigurationRepository configurations) {
        this.configurations = configurations;
    }

    /** The scopes to store (null stays null: the default), or a failed Uni naming the first bad scope. */
    Uni<List<String>> checked(EnvironmentEntity environment, List<String> scopes) {
        if (scopes == null) {
            return Uni.createFrom().nullItem();
        }
        if (scopes.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.badRequest(EMPTY,
                    "scopes must name at least one scope; leave the field out to allow any scope of the Configuration"));
        }
        return configurations.findById(environment.configurationName).map(c -> {
            List<String> dataTypes = c == null || c.dataTypes == null ? List.of() : c.dataTypes;
            ScopeRegistration.Violation v = ScopeRegistration.check(scopes, dataTypes);
            if (v != null) {
                ProblemException refusal = ProblemException.badRequest(v.code(), v.detail());
                throw v.scope() == null ? refusal : refusal.with("scope", v.scope());
            }
            return List.copyOf(scopes);
        });
    }
}
