package io.keyhook.token.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.jwk.JWK;

import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.core.crypto.SecretVerifier;
import io.keyhook.core.scope.AllowedScopes;

/**
 * One client as the token endpoint needs it: immutable, verifiers already decoded. A {@code private_key_jwt} client has
 * its registered inline keys already parsed and checked ({@link ClientKeys}), or the {@code jwksUri} they are fetched
 * from, and one {@link #keyCredential() key credential} in {@code secrets}: the id its tokens carry as
 * {@code secret_id}, honoured while the client is active, so disabling or deleting the client revokes its tokens as it
 * does a secret client's. Allowed scopes are prepared once per record (issue 30: {@code scopes} null = the default,
 * {@code keyhook.token.api-scopes}; {@code tokenLifetimeSeconds} null = the default lifetime).
 */
public record KnownClient(String clientId, boolean admin, String environment, boolean active, List<String> groups,
        List<String> environments, Instant updatedAt, List<KnownSecret> secrets, boolean privateKeyJwt, List<JWK> keys,
        String jwksUri, AllowedScopes scopes, Long tokenLifetimeSeconds) {

    /** A secret client with the default scopes and token lifetime. */
    public KnownClient(String clientId, boolean admin, String environment, boolean active, List<String> groups,
            List<String> environments, Instant updatedAt, List<KnownSecret> secrets) {
        this(clientId, admin, environment, active, groups, environments, updatedAt, secrets, false, List.of(), null,
                null, null);
    }

    /** A secret of the client. {@code verifier} is the decoded keyed digest (null when the record carried none). */
    public record KnownSecret(String id, boolean active, byte[] verifier, String ciphertext, Instant invalidatedAt) {
    }

    /** How the id of a private_key_jwt client's key credential ends: {@code <clientId>.private_key_jwt}. */
    public static final String KEY_CREDENTIAL_SUFFIX = ".private_key_jwt";

    static KnownClient of(ClientStateRecord r) {
        boolean pkjwt = ClientStateRecord.PRIVATE_KEY_JWT.equals(r.authMethod());
        List<KnownSecret> secrets = new ArrayList<>();
        if (r.secrets() != null) {
            r.secrets().stream()
                    .map(s -> new KnownSecret(s.id(), ClientStateRecord.ACTIVE.equals(s.status()),
                            SecretVerifier.decode(s.verifier()), s.ciphertext(), s.invalidatedAt()))
                    .forEach(secrets::add);
        }
        List<JWK> keys = List.of();
        if (pkjwt) {
            secrets.add(new KnownSecret(r.clientId() + KEY_CREDENTIAL_SUFFIX, true, null, null, null));
            keys = r.jwks() == null ? List.of() : ClientKeys.of(r.jwks().toString(), "client " + r.clientId());
        }
        return new KnownClient(r.clientId(), ClientStateRecord.ADMIN.equals(r.kind()), r.environment(),
                ClientStateRecord.ACTIVE.equals(r.status()), r.groups() == null ? List.of() : List.copyOf(r.groups()),
                r.environments() == null ? List.of() : List.copyOf(r.environments()), r.updatedAt(),
                List.copyOf(secrets), pkjwt, keys, pkjwt ? r.jwksUri() : null,
                r.scopes() == null ? null : AllowedScopes.of(r.scopes()), r.tokenLifetimeSeconds());
    }

    /** The key credential of a private_key_jwt client (null for a secret client). */
    public KnownSecret keyCredential() {
        return privateKeyJwt ? secret(clientId + KEY_CREDENTIAL_SUFFIX) : null;
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
