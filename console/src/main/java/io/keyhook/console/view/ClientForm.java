package io.keyhook.console.view;

/**
 * The "create a client" form as shown: what was entered (kept after a refusal). {@code authMethod} is
 * {@code client_secret} or {@code private_key_jwt}; {@code keySource} {@code jwks} (pasted) or {@code jwksUri}.
 */
public record ClientForm(String name, String description, String authMethod, String keySource, String jwks,
        String jwksUri) {

    public static final ClientForm EMPTY = new ClientForm("", "", "client_secret", "jwks", "", "");

    public static ClientForm of(Flash f) {
        return new ClientForm(f.value("name", ""), f.value("description", ""), f.value("authMethod", "client_secret"),
                f.value("keySource", "jwks"), f.value("jwks", ""), f.value("jwksUri", ""));
    }

    public boolean method(String m) {
        return m.equals(authMethod);
    }

    public boolean source(String s) {
        return s.equals(keySource);
    }
}
