package io.keyhook.credentials.service;

import java.util.List;

import io.keyhook.testing.VaultStubResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/** credentials-service with {@code keyhook.secrets.cipher=vault} against a Vault Transit stub. */
public class VaultCipherProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(VaultStubResource.class));
    }
}
