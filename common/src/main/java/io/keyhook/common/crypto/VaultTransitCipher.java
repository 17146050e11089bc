package io.keyhook.common.crypto;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import io.keyhook.common.config.SecretsConfig;
import io.quarkus.vault.VaultTransitSecretReactiveEngine;
import io.quarkus.vault.transit.ClearData;
import io.quarkus.vault.transit.KeyCreationRequestDetail;
import io.quarkus.vault.transit.TransitContext;
import io.smallrye.mutiny.Uni;

/**
 * Vault Transit (production): the plaintext never meets a key outside Vault. The transit key must be created with
 * {@code derived=true}; the Environment id is the derivation context, so each Environment effectively has its own key.
 * Ciphertexts are Vault's own {@code vault:v<N>:...}.
 */
@ApplicationScoped
@Typed(VaultTransitCipher.class) // only reachable through SecretCryptoProducer
public class VaultTransitCipher implements SecretCipher {

    @Inject
    VaultTransitSecretReactiveEngine transit;

    @Inject
    SecretsConfig config;

    @Override
    public Uni<String> encrypt(String environmentId, byte[] plaintext) {
        return transit.encrypt(key(), new ClearData(plaintext), context(environmentId));
    }

    @Override
    public Uni<byte[]> decrypt(String environmentId, String ciphertext) {
        return transit.decrypt(key(), ciphertext, context(environmentId)).map(ClearData::getValue);
    }

    @Override
    public Uni<String> rewrap(String environmentId, String ciphertext) {
        return transit.rewrap(key(), ciphertext, context(environmentId));
    }

    @Override
    public Uni<Integer> currentKeyVersion() {
        return transit.readKey(key()).map(k -> k.map(d -> d.getLatestVersion()).orElse(0));
    }

    @Override
    public Uni<Integer> rotate() {
        return transit.rotateKey(key()).chain(this::currentKeyVersion);
    }

    @Override
    public String ciphertextPrefix() {
        return "vault:";
    }

    /** Creates the derived transit key if it does not exist yet (idempotent in Vault). */
    public Uni<Void> ensureKey() {
        return transit.createKey(key(), new KeyCreationRequestDetail().setDerived(true));
    }

    private String key() {
        return config.vaultTransitKey();
    }

    private static TransitContext context(String environmentId) {
        return TransitContext.fromContext(environmentId.getBytes(StandardCharsets.UTF_8));
    }
}
