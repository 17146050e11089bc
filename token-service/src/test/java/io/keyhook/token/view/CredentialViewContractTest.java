package io.keyhook.token.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.common.contract.Topics;
import io.keyhook.testing.ContractSamples;

/** The token endpoint's view reads back, whole, the client records credentials-service publishes (the samples). */
class CredentialViewContractTest {

    static ClientStateRecord sample(String name, String clientId) {
        return Topics.CREDENTIALS.read(ContractSamples.mapper(), clientId, ContractSamples.json(name));
    }

    static byte[] bytes(int from, int step) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (from + step * i);
        }
        return b;
    }

    @Test
    void anApiClientsRecordIsReadBackWhole() {
        CredentialView view = new CredentialView();
        assertTrue(view.apply(sample("keyhook.credentials.api", "patient-sync")));

        KnownClient c = view.client("patient-sync");
        assertEquals("patient-sync", c.clientId());
        assertFalse(c.admin());
        assertEquals("prod-1", c.environment());
        assertTrue(c.active());
        assertEquals(List.of(), c.groups());
        assertEquals(List.of(), c.environments());
        assertEquals(Instant.parse("2026-11-28T15:23:28.716196Z"), c.updatedAt());
        assertEquals(2, c.secrets().size());
        KnownClient.KnownSecret active = c.secret("sec_Active1");
        assertTrue(active.active());
        assertArrayEquals(bytes(0, 1), active.verifier());
        assertEquals("vault:v1:c2VjcmV0LW9uZQ==", active.ciphertext());
        assertNull(active.invalidatedAt());
        KnownClient.KnownSecret old = c.secret("sec_Old1");
        assertFalse(old.active());
        assertArrayEquals(bytes(31, -1), old.verifier());
        assertEquals(Instant.parse("2026-11-28T15:23:28.716196Z"), old.invalidatedAt());
        assertEquals(c, view.clientOfSecret("sec_Old1"));
        assertTrue(c.honours("sec_Active1"));
        assertFalse(c.honours("sec_Old1"));
    }

    @Test
    void aScopedClientsRecordIsReadBackWithItsScopesAndLifetime() {
        CredentialView view = new CredentialView();
        assertTrue(view.apply(sample("keyhook.credentials.api.scoped", "lab-feed")));

        KnownClient c = view.client("lab-feed");
        assertEquals(List.of("system/patients.rs", "system/observations.read", "system/*.s"), c.scopes().all());
        assertEquals("system/patients.rs system/observations.read system/*.s", c.scopes().joined());
        assertTrue(c.scopes().allows("system/observations.rs"));
        assertFalse(c.scopes().allows("system/observations.write"));
        assertEquals(300L, c.tokenLifetimeSeconds());
        assertTrue(c.honours("sec_Lab1"));
        // today's record: the defaults
        view.apply(sample("keyhook.credentials.api", "patient-sync"));
        assertNull(view.client("patient-sync").scopes());
        assertNull(view.client("patient-sync").tokenLifetimeSeconds());
    }

    @Test
    void anAdminClientsRecordIsReadBackWithItsGroupsAndEnvironments() {
        CredentialView view = new CredentialView();
        view.apply(sample("keyhook.credentials.admin", "ops-robot"));

        KnownClient c = view.client("ops-robot");
        assertTrue(c.admin());
        assertNull(c.environment());
        assertEquals(List.of("integration-admin", "platform-operator"), c.groups());
        assertEquals(List.of("prod-1", "staging"), c.environments());
        assertEquals(List.of("sec_AdminA", "sec_AdminB"),
                c.secrets().stream().map(KnownClient.KnownSecret::id).toList());
        assertNull(c.secret("sec_AdminA").ciphertext(), "an admin's secrets are never decrypted");
    }
}
