package io.keyhook.token.view;

import java.time.Instant;
import java.util.List;

import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.core.crypto.SecretVerifier;
import io.keyhook.core.scope.AllowedScopes;

/**
 * One client as the token endpoint needs it: immutable, verifiers already decoded, allowed scopes prepared once per
 * record (issue 30: {@code scopes} null = the default, {@code keyhook.token.api-scopes}; {@code tokenLifetimeSeconds}
 * null = the default lifetime).
 */
public record KnownClient(String clientId, boolean admin, String environment, boolean active, List<String> groups,
        List<String> environments, Instant updatedAt, List<KnownSecret> secrets, AllowedScopes scopes,
        Long tokenLifetimeSeconds) {

    /** A client with the default scopes and token lifetime. */
    public KnownClient(String clientId, boolean admin, String environment, boolean active, List<String> groups,
            List<String> environments, Instant updatedAt, List<KnownSecret> secrets) {
        this(clientId, admin, environment, active, groups, environments, updatedAt, secrets, null, null);
    }

    /** A secret of the client. {@code verifier} is the decoded keyed digest (null when the record carried none). */
    public record KnownSecret(String id, boolean active, byte[] verifier, String ciphertext, Instant invalidatedAt) {
    }

    static KnownClient of(ClientStateRecord r) {
        List<KnownSecret> secrets = r
                .secrets() == null
                        ? List.of()
                        : r.secrets().stream()
                                .map(s -> new KnownSecret(s.id(), ClientStateRecord.ACTIVE.equals(s.status()),
                                        SecretVerifier.decode(s.verifier()), s.ciphertext(), s.invalidatedAt()))
                                .toList();
        return new KnownClient(r.clientId(), ClientStateRecord.ADMIN.equals(r.kind()), r.environment(),
                ClientStateRecord.ACTIVE.equals(r.status()), r.groups() == null ? List.of() : List.copyOf(r.groups()),
                r.environments() == null ? List.of() : List.copyOf(r.environments()), r.updatedAt(), secrets,
                r.scopes() == null ? null : AllowedScopes.of(r.scopes()), r.tokenLifetimeSeconds());
    }

    /** The secret with this id, or null. */
    public KnownSecret secret(String secretId) {
        for (KnownSecret s : secrets) {
            if (s.id().equals(secretId)) {
                return s;
            }
        }
        return null;
    }

    /** Whether tokens issued under this secret are still good: client active and secret active. */
    public boolean honours(String secretId) {
        KnownSecret s = secret(secretId);
        return active && s != null && s.active();
    }
}
