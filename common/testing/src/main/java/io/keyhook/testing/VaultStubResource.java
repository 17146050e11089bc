package io.keyhook.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Switches a service to the Vault Transit cipher, backed by a {@link VaultTransitStub}. */
public class VaultStubResource implements QuarkusTestResourceLifecycleManager {

    private static VaultTransitStub stub;

    public static synchronized VaultTransitStub stub() {
        if (stub == null) {
            try {
                stub = new VaultTransitStub();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stub;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.vault.url", stub().url(), "quarkus.vault.authentication.client-token",
                VaultTransitStub.TOKEN, "keyhook.secrets.cipher", "vault");
    }

    @Override
    public void stop() {
        // kept for the JVM: its records are read by the test after the app stops
    }
}
