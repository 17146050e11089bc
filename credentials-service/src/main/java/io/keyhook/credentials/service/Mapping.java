package io.keyhook.credentials.service;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.keyhook.credentials.api.AdminClientResponse;
import io.keyhook.credentials.api.ClientKeyResponse;
import io.keyhook.credentials.api.ClientResponse;
import io.keyhook.credentials.api.ConfigurationResponse;
import io.keyhook.credentials.api.EnvironmentResponse;
import io.keyhook.credentials.api.SecretCreatedResponse;
import io.keyhook.credentials.api.SecretResponse;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.ClientKeyEntity;
import io.keyhook.credentials.persistence.ConfigurationEntity;
import io.keyhook.credentials.persistence.EnvironmentEntity;
import io.keyhook.credentials.persistence.KeyUsageRepository;
import io.keyhook.credentials.persistence.SecretEntity;

/** Entity to API record, in one place. */
final class Mapping {

    private Mapping() {
    }

    static ConfigurationResponse configuration(ConfigurationEntity c) {
        return new ConfigurationResponse(c.name, c.version, List.copyOf(c.dataTypes), c.createdAt, c.updatedAt);
    }

    static EnvironmentResponse environment(EnvironmentEntity e, ConfigurationEntity c) {
        return new EnvironmentResponse(e.id, e.name, c.name, c.version, List.copyOf(c.dataTypes), e.createdAt,
                e.updatedAt, e.tokenSigningAlg, e.secretMaxAgeDays, e.secretExpiryGraceDays);
    }

    static ClientResponse client(ClientEntity c, SecretCreatedResponse secret) {
        return client(c, List.of(), List.of(), secret);
    }

    /**
     * An API client; {@code usage} holds (at least) the recorded key usage of this client, {@code times} (at least) its
     * keys' registration and age-flag times.
     */
    static ClientResponse client(ClientEntity c, List<KeyUsageRepository.Usage> usage, List<ClientKeyEntity> times,
            SecretCreatedResponse secret) {
        return new ClientResponse(c.id, c.environmentId, c.name, c.description, c.status, c.authMethod, c.createdAt,
                c.updatedAt, c.disabledAt, c.jwksUri, c.usesPrivateKeyJwt() ? keys(c, usage, times) : null, secret,
                c.scopes == null ? null : List.copyOf(c.scopes), c.tokenLifetimeSeconds);
    }

    /** Inline JWKS: every registered key. jwksUri: the keys seen in use (token-service fetches the rest). */
    private static List<ClientKeyResponse> keys(ClientEntity c, List<KeyUsageRepository.Usage> usage,
            List<ClientKeyEntity> times) {
        Map<String, KeyUsageRepository.Usage> byKid = new LinkedHashMap<>();
        usage.stream().filter(u -> u.clientId().equals(c.id)).forEach(u -> byKid.put(u.kid(), u));
        Map<String, ClientKeyEntity> timeByKid = new HashMap<>();
        times.stream().filter(t -> t.clientId.equals(c.id)).forEach(t -> timeByKid.put(t.kid, t));
        if (c.jwks == null) {
            return byKid.values().stream().map(u -> {
                ClientKeyEntity t = timeByKid.get(u.kid());
                return new ClientKeyResponse(u.kid(), null, null, null, u.firstUsedAt(), u.lastUsedAt(), null,
                        t == null ? null : t.ageFlaggedAt);
            }).toList();
        }
        return KeySource.keysOf(c.jwks).stream().map(k -> {
            KeyUsageRepository.Usage u = byKid.get(k.kid());
            ClientKeyEntity t = timeByKid.get(k.kid());
            return new ClientKeyResponse(k.kid(), k.alg(), k.kty(), k.crv(), u == null ? null : u.firstUsedAt(),
                    u == null ? null : u.lastUsedAt(), t == null ? null : t.registeredAt,
                    t == null ? null : t.ageFlaggedAt);
        }).toList();
    }

    static AdminClientResponse adminClient(ClientEntity c, SecretCreatedResponse secret) {
        return new AdminClientResponse(c.id, c.name, c.description, c.status, List.copyOf(c.groups),
                List.copyOf(c.environments), c.createdAt, c.updatedAt, c.disabledAt, secret);
    }

    static SecretCreatedResponse created(SecretEntity s, String value) {
        return new SecretCreatedResponse(s.id, value, s.status, s.createdAt);
    }

    static SecretResponse secret(SecretEntity s, List<String> webhooks) {
        return new SecretResponse(s.id, s.status, s.createdAt, s.invalidatedAt, s.lastUsedAt, webhooks, s.disclosedTo,
                s.ageFlaggedAt);
    }
}
