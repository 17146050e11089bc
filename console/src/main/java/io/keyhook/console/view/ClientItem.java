package io.keyhook.console.view;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** An API client with its secrets. */
public record ClientItem(String clientId, String name, String description, String status, String createdAt,
        List<SecretItem> secrets) {

    public static ClientItem of(JsonNode n, List<SecretItem> secrets) {
        return new ClientItem(Json.text(n, "clientId"), Json.text(n, "name"), Json.text(n, "description"),
                Json.text(n, "status"), Json.when(n, "createdAt"), secrets);
    }

    public long activeSecrets() {
        return secrets.stream().filter(SecretItem::active).count();
    }
}
