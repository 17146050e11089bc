package io.keyhook.credentials.service;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.crypto.SecretVerifier;
import io.keyhook.credentials.persistence.ClientEntity;
import io.smallrye.mutiny.Uni;

/**
 * Makes a secret and its stored forms before any transaction opens (encryption may be a Vault call). Admin clients have
 * no Environment; their ciphertexts are bound to the reserved context {@value #ADMIN_CONTEXT}, which no Environment id
 * can spell.
 */
@ApplicationScoped
public class SecretFactory {

    public static final String ADMIN_CONTEXT = "_admin";

    @Inject
    SecretCipher cipher;

    @Inject
    SecretVerifier verifier;

    Uni<NewSecret> create(String context) {
        return from(context, SecretGenerator.newSecret());
    }

    /** Stored forms of a given value (the configured bootstrap operator secret). */
    Uni<NewSecret> from(String context, String value) {
        return cipher.encrypt(context, value.getBytes(StandardCharsets.UTF_8))
                .map(ciphertext -> new NewSecret(SecretGenerator.newId("sec_"), value, verifier.verifierOf(value),
                        ciphertext, SecretCipher.keyVersionOf(ciphertext)));
    }

    static String contextOf(ClientEntity client) {
        return client.environmentId != null ? client.environmentId : ADMIN_CONTEXT;
    }

    static String contextOf(ClientRef ref) {
        return ref.isAdmin() ? ADMIN_CONTEXT : ref.environmentId();
    }
}
