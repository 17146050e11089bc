package io.keyhook.console.view;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One API client as its page shows it: how it authenticates, its scopes and token lifetime (null: the defaults), and,
 * for private_key_jwt, its keys and where they come from.
 */
public record ClientDetail(String clientId, String name, String description, String status, String authMethod,
        String jwksUri, List<String> scopes, Long tokenLifetimeSeconds, List<ClientKey> keys) {

    public static ClientDetail of(JsonNode n) {
        List<ClientKey> keys = new ArrayList<>();
        n.path("keys").forEach(k -> keys.add(ClientKey.of(k)));
        JsonNode scopes = n.get("scopes");
        JsonNode lifetime = n.get("tokenLifetimeSeconds");
        return new ClientDetail(Json.text(n, "clientId"), Json.text(n, "name"), Json.text(n, "description"),
                Json.text(n, "status"), Json.text(n, "authMethod"), Json.text(n, "jwksUri"),
                scopes == null || scopes.isNull() ? null : Json.strings(n, "scopes"),
                lifetime == null || lifetime.isNull() ? null : lifetime.asLong(), keys);
    }

    public boolean privateKeyJwt() {
        return "private_key_jwt".equals(authMethod);
    }

    /** Keys registered inline (not fetched from a URL): only those rotate through the key-rotation API. */
    public boolean inlineJwks() {
        return privateKeyJwt() && (jwksUri == null || jwksUri.isEmpty());
    }

    public boolean active() {
        return "active".equals(status);
    }

    /** Whether any key carries a registeredAt (the column is shown only then). */
    public boolean keysHaveRegisteredAt() {
        return keys.stream().anyMatch(k -> !k.registeredAt().isEmpty());
    }

    public String scopesShown() {
        return scopes == null ? "" : String.join(" ", scopes);
    }

    public String lifetimeShown() {
        return tokenLifetimeSeconds == null ? "" : String.valueOf(tokenLifetimeSeconds);
    }
}
