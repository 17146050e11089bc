package io.keyhook.credentials.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.persistence.ClientEntity;
import io.smallrye.mutiny.Uni;

/**
 * Reads and checks what a create or PATCH says about a client's authentication: {@code authMethod} and exactly one of
 * {@code jwks} / {@code jwksUri} for private_key_jwt. Runs before the change's transaction (resolving a jwksUri's host
 * takes a network round trip). Every refusal is a 400 problem with a stable code.
 */
@ApplicationScoped
class KeySources {

    @Inject
    JwksUriCheck uris;

    /** The key source of a new client, or null for a client_secret client. */
    Uni<KeySource> forCreate(String authMethod, JsonNode jwks, String jwksUri) {
        String method = authMethod == null ? ClientEntity.CLIENT_SECRET : authMethod;
        if (!method.equals(ClientEntity.CLIENT_SECRET) && !method.equals(ClientEntity.PRIVATE_KEY_JWT)) {
            return Uni.createFrom().failure(ProblemException.badRequest("auth_method_invalid",
                    "authMethod must be client_secret or private_key_jwt"));
        }
        if (method.equals(ClientEntity.CLIENT_SECRET)) {
            if (present(jwks) || jwksUri != null) {
                return Uni.createFrom().failure(ProblemException.badRequest("keys_not_allowed",
                        "jwks and jwksUri are for authMethod private_key_jwt; a client_secret client has secrets"));
            }
            return Uni.createFrom().nullItem();
        }
        if (!present(jwks) && jwksUri == null) {
            return Uni.createFrom().failure(ProblemException.badRequest("jwks_required",
                    "a private_key_jwt client needs its public keys: jwks or jwksUri"));
        }
        return forPatch(jwks, jwksUri);
    }

    /** The new key source a PATCH gives, or null when it gives none. */
    Uni<KeySource> forPatch(JsonNode jwks, String jwksUri) {
        if (present(jwks) && jwksUri != null) {
            return Uni.createFrom()
                    .failure(ProblemException.badRequest("jwks_conflict", "give either jwks or jwksUri, not both"));
        }
        if (present(jwks)) {
            return Uni.createFrom().item(() -> new KeySource(JwksValidator.validate(jwks), null));
        }
        if (jwksUri != null) {
            return uris.check(jwksUri).map(url -> new KeySource(null, url));
        }
        return Uni.createFrom().nullItem();
    }

    /** JSON null counts as absent. */
    private static boolean present(JsonNode jwks) {
        return jwks != null && !jwks.isNull() && !jwks.isMissingNode();
    }
}
