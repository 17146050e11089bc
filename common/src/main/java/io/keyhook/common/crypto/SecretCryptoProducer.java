package io.keyhook.common.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.keyhook.common.config.SecretsConfig;
import io.keyhook.core.crypto.PrivateFiles;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.crypto.SecretVerifier;

/** Builds the secret verifier and cipher from {@link SecretsConfig}. */
@ApplicationScoped
public class SecretCryptoProducer {

    private static final Logger LOG = Logger.getLogger(SecretCryptoProducer.class);

    @Produces
    @ApplicationScoped
    SecretVerifier verifier(SecretsConfig config) {
        byte[] pepper = config.pepper().map(p -> Base64.getDecoder().decode(p.strip()))
                .orElseGet(() -> pepperFromFile(config.pepperFile()));
        return new SecretVerifier(pepper);
    }

    @Produces
    @ApplicationScoped
    SecretCipher cipher(SecretsConfig config, Instance<VaultTransitCipher> vault) {
        if (config.cipher() == SecretsConfig.CipherKind.VAULT) {
            return vault.get();
        }
        LOG.infof("Secrets are encrypted with the local key file %s", config.localKeyFile().toAbsolutePath());
        return new LocalKeyFileCipher(config.localKeyFile());
    }

    private static byte[] pepperFromFile(Path file) {
        try {
            if (PrivateFiles.createIfAbsent(file,
                    () -> Base64.getEncoder().encodeToString(SecretGenerator.randomBytes(32)) + "\n")) {
                LOG.infof("Created a new secret pepper in %s", file.toAbsolutePath());
            }
            return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the pepper file " + file, e);
        }
    }
}
