package io.keyhook.token.service;

import io.keyhook.token.view.KnownClient;

/**
 * A client that proved it holds one of its active secrets, or (private_key_jwt) signed an assertion with the key
 * {@code kid}; then {@code secret} is the client's {@link KnownClient#keyCredential() key credential}.
 */
public record Authenticated(KnownClient client, KnownClient.KnownSecret secret, String kid) {

    public Authenticated(KnownClient client, KnownClient.KnownSecret secret) {
        this(client, secret, null);
    }
}
