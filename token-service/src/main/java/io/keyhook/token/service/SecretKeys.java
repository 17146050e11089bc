package io.keyhook.token.service;

import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;
import io.smallrye.mutiny.Uni;

/**
 * The plaintext of client secrets, needed only to check RFC 7523 assertions (HS256 keyed with the secret). Decrypted
 * through the {@link SecretCipher} on first use and kept in memory until the secret stops being honoured.
 */
@ApplicationScoped
public class SecretKeys {

    /** The reserved cipher context of admin clients' secrets (credentials-service's SecretFactory). */
    static final String ADMIN_CONTEXT = "_admin";

    @Inject
    SecretCipher cipher;

    private final ConcurrentHashMap<String, byte[]> keys = new ConcurrentHashMap<>();

    @Inject
    void forgetRevoked(CredentialView view) {
        view.onRevoked(r -> keys.remove(r.secretId()));
    }

    /** The UTF-8 octets of the secret string: the HMAC key OpenID Connect's client_secret_jwt uses. */
    public Uni<byte[]> of(KnownClient client, KnownClient.KnownSecret secret) {
        byte[] known = keys.get(secret.id());
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        if (secret.ciphertext() == null) {
            return Uni.createFrom().nullItem();
        }
        String context = client.admin() ? ADMIN_CONTEXT : client.environment();
        return cipher.decrypt(context, secret.ciphertext()).invoke(plain -> keys.put(secret.id(), plain));
    }
}
