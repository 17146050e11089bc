package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.ClientKeyEntity;
import io.keyhook.credentials.persistence.ClientKeyRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps {@code client_keys} in step with a client's inline JWKS: a kid seen for the first time is registered now, a kid
 * that stays keeps its time, a kid that left loses its row. Called inside the change's transaction, under the client's
 * row lock (every JWKS change takes it), so two changes never sync at once.
 */
@ApplicationScoped
class ClientKeys {

    @Inject
    ClientKeyRepository rows;

    /** Syncs the rows with {@code c.jwks} (none for a jwksUri or client_secret client); emits the client's rows. */
    Uni<List<ClientKeyEntity>> sync(ClientEntity c, Instant now) {
        List<String> kids = c.jwks == null ? List.of()
                : KeySource.keysOf(c.jwks).stream().map(JwksValidator.Key::kid).toList();
        return rows.flush().chain(() -> rows.deleteOthers(c.id, kids)).chain(() -> rows.ofClients(List.of(c.id)))
                .chain(existing -> {
                    Set<String> known = existing.stream().map(k -> k.kid).collect(Collectors.toSet());
                    List<ClientKeyEntity> fresh = kids.stream().filter(kid -> !known.contains(kid))
                            .map(kid -> ClientKeyEntity.of(c.id, kid, now)).toList();
                    return Multi.createFrom().iterable(fresh).onItem().transformToUniAndConcatenate(rows::persist)
                            .collect().asList().call(rows::flush).map(x -> {
                                List<ClientKeyEntity> all = new java.util.ArrayList<>(existing);
                                all.addAll(fresh);
                                return List.copyOf(all);
                            });
                });
    }
}
