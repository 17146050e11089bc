package io.keyhook.console.view;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** An API client with its secrets (client_secret) or its keys (private_key_jwt). */
public record ClientItem(String clientId, String name, String description, String status, String createdAt,
        String authMethod, List<SecretItem> secrets, List<ClientKey> keys) {

    public static ClientItem of(JsonNode n, List<SecretItem> secrets) {
        List<ClientKey> keys = new ArrayList<>();
        n.path("keys").forEach(k -> keys.add(ClientKey.of(k)));
        return new ClientItem(Json.text(n, "clientId"), Json.text(n, "name"), Json.text(n, "description"),
                Json.text(n, "status"), Json.when(n, "createdAt"), Json.text(n, "authMethod"), secrets, keys);
    }

    public boolean privateKeyJwt() {
        return "private_key_jwt".equals(authMethod);
    }

    public long activeSecrets() {
        return secrets.stream().filter(SecretItem::active).count();
    }
}
