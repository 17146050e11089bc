package io.keyhook.credentials.service;

import java.util.List;

import io.keyhook.credentials.api.AdminClientResponse;
import io.keyhook.credentials.api.ClientResponse;
import io.keyhook.credentials.api.ConfigurationResponse;
import io.keyhook.credentials.api.EnvironmentResponse;
import io.keyhook.credentials.api.SecretCreatedResponse;
import io.keyhook.credentials.api.SecretResponse;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.ConfigurationEntity;
import io.keyhook.credentials.persistence.EnvironmentEntity;
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
                e.updatedAt, e.tokenSigningAlg);
    }

    static ClientResponse client(ClientEntity c, SecretCreatedResponse secret) {
        return new ClientResponse(c.id, c.environmentId, c.name, c.description, c.status, c.createdAt, c.updatedAt,
                c.disabledAt, secret);
    }

    static AdminClientResponse adminClient(ClientEntity c, SecretCreatedResponse secret) {
        return new AdminClientResponse(c.id, c.name, c.description, c.status, List.copyOf(c.groups),
                List.copyOf(c.environments), c.createdAt, c.updatedAt, c.disabledAt, secret);
    }

    static SecretCreatedResponse created(SecretEntity s, String value) {
        return new SecretCreatedResponse(s.id, value, s.status, s.createdAt);
    }

    static SecretResponse secret(SecretEntity s, List<String> webhooks) {
        return new SecretResponse(s.id, s.status, s.createdAt, s.invalidatedAt, s.lastUsedAt, webhooks, s.disclosedTo);
    }
}
