package io.keyhook.common.crypto;

import io.smallrye.mutiny.Uni;

/**
 * Encrypts client secrets for the services that must sign with them (the webhook dispatcher). The Environment id is
 * bound to every ciphertext (AES-GCM associated data locally, the derived-key context in Vault Transit), so a
 * ciphertext copied to another Environment does not decrypt. Asynchronous because the Vault implementation is a network
 * call and callers run on the event loop.
 */
public interface SecretCipher {

    /** Ciphertext carrying its own key version, e.g. {@code khl:v2:...} or {@code vault:v3:...}. */
    Uni<String> encrypt(String environmentId, byte[] plaintext);

    Uni<byte[]> decrypt(String environmentId, String ciphertext);

    /** Re-encrypts under the newest key version; old versions keep decrypting until retired. */
    Uni<String> rewrap(String environmentId, String ciphertext);

    /** The newest key version, which {@link #encrypt} uses. */
    Uni<Integer> currentKeyVersion();

    /** Adds a new key version; later encryptions use it. */
    Uni<Integer> rotate();

    /** How this cipher's ciphertexts begin, e.g. {@code khl:}; rewrapping only applies to those. */
    String ciphertextPrefix();

    /** The key version a ciphertext was made with: the {@code v<N>} field of {@code prefix:v<N>:data}. */
    static int keyVersionOf(String ciphertext) {
        String[] parts = ciphertext.split(":", 3);
        if (parts.length != 3 || !parts[1].startsWith("v")) {
            throw new IllegalArgumentException("not a versioned ciphertext");
        }
        return Integer.parseInt(parts[1].substring(1));
    }
}
