package io.keyhook.credentials.service;

import io.keyhook.credentials.persistence.ClientEntity;

/** Names a client by kind: an API client within its Environment, or an admin client. */
public record ClientRef(String kind, String environmentId, String clientId) {

    public static ClientRef api(String environmentId, String clientId) {
        return new ClientRef(ClientEntity.API, environmentId, clientId);
    }

    public static ClientRef admin(String clientId) {
        return new ClientRef(ClientEntity.ADMIN, null, clientId);
    }

    boolean isAdmin() {
        return ClientEntity.ADMIN.equals(kind);
    }
}
