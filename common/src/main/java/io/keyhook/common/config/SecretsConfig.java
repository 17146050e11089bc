package io.keyhook.common.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How client secrets are protected at rest (SPEC.md section 3). */
@ConfigMapping(prefix = "keyhook.secrets")
public interface SecretsConfig {

    /** Which {@code SecretCipher} encrypts secrets: {@code local} (AES-256-GCM key file) or {@code vault}. */
    @WithDefault("local")
    CipherKind cipher();

    /** The local key file; created with 0600 permissions on first start. */
    @WithDefault(".keyhook/keys/secret-cipher.keys")
    Path localKeyFile();

    /**
     * The HMAC pepper for secret verifiers, base64 (at least 32 bytes). Shared by every service that verifies secrets.
     * When unset, it is read from {@link #pepperFile()}.
     */
    Optional<String> pepper();

    /** Where the pepper lives when {@link #pepper()} is unset; created on first start with 0600. */
    @WithDefault(".keyhook/keys/pepper")
    Path pepperFile();

    /** The Vault Transit key (derived keys, context = Environment id) used when cipher = vault. */
    @WithDefault("keyhook-client-secrets")
    String vaultTransitKey();

    enum CipherKind {
        LOCAL, VAULT
    }
}
