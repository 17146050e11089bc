package io.keyhook.token.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.RevocationRecord;
import io.keyhook.testing.ContractSamples;

/**
 * What this service publishes on {@code keyhook.token-revocations}, of each kind, is exactly the contract's sample
 * (every resource server's guard reads the same samples back): names, values and nulls.
 */
class RevocationRecordsTest {

    static final Instant AT = Instant.parse("2026-11-28T15:23:28.716196Z");

    final ObjectMapper json = ContractSamples.mapper();
    final RevocationOutbox outbox = new RevocationOutbox();

    RevocationRecordsTest() {
        outbox.json = json;
    }

    void assertWritten(String sample, RevocationRecord r) throws Exception {
        assertEquals(ContractSamples.tree(sample), json.readTree(outbox.payload(r)));
    }

    @Test
    void aSecretsRevocation() throws Exception {
        assertWritten("keyhook.token-revocations.secret",
                RevocationRecord.secret("sec_Old1", "patient-sync", "prod-1", "secret_invalidated", AT));
    }

    @Test
    void aTokensRevocation() throws Exception {
        assertWritten("keyhook.token-revocations.token", RevocationRecord.token("jti-7f3a", "sec_AdminA", "ops-robot",
                null, AT, Instant.parse("2099-01-01T00:00:00Z")));
    }

    @Test
    void aSigningKeysRevocationAndAddition() throws Exception {
        assertWritten("keyhook.token-revocations.signing_key", RevocationRecord.signingKeyRevoked("k-2026-11", AT));
        assertWritten("keyhook.token-revocations.signing_key_added", RevocationRecord.signingKeyAdded("k-2026-12", AT));
    }
}
