package io.keyhook.common.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.common.contract.EnvironmentStateRecord;
import io.keyhook.common.contract.EnvironmentStateRecord.Configuration;
import io.keyhook.common.contract.Topics;
import io.keyhook.testing.ContractSamples;

/** Which of two records of one Environment is the current one. */
class EnvironmentCatalogTest {

    static EnvironmentStateRecord env(long version, String updatedAt, String... types) {
        return new EnvironmentStateRecord(1, "e", "E", new Configuration("c", version, List.of(types)),
                Instant.parse(updatedAt));
    }

    @Test
    void aRepublishedRecordReadBackAtMicrosecondPrecisionIsNotOlder() {
        // first published from memory (nanoseconds), then republished from PostgreSQL (microseconds)
        EnvironmentStateRecord first = env(1, "2026-11-28T15:23:28.716196199Z", "patients");
        EnvironmentStateRecord republished = env(2, "2026-11-28T15:23:28.716196Z", "patients", "invoices");
        assertFalse(EnvironmentCatalog.isOlder(republished, first));
    }

    @Test
    void aNewerConfigurationVersionWinsAndAStaleOneLoses() {
        EnvironmentStateRecord v2 = env(2, "2026-11-28T10:00:00Z", "patients", "invoices");
        EnvironmentStateRecord v1 = env(1, "2026-11-28T11:00:00Z", "patients");
        assertTrue(EnvironmentCatalog.isOlder(v1, v2), "version 1 after version 2 is stale, whatever its time");
        assertFalse(EnvironmentCatalog.isOlder(v2, v1));
    }

    @Test
    void withTheSameConfigurationVersionTheLaterChangeWins() {
        EnvironmentStateRecord renamed = env(1, "2026-11-28T12:00:00Z", "patients");
        EnvironmentStateRecord before = env(1, "2026-11-28T11:00:00Z", "patients");
        assertTrue(EnvironmentCatalog.isOlder(before, renamed));
        assertFalse(EnvironmentCatalog.isOlder(renamed, before));
    }

    @Test
    void theContractsSampleIsReadBackWhole() {
        EnvironmentCatalog catalog = new EnvironmentCatalog();
        catalog.learn(Topics.ENVIRONMENTS.read(ContractSamples.mapper(), "prod-1",
                ContractSamples.json("keyhook.environments")));

        assertEquals(new EnvironmentStateRecord(1, "prod-1", "Production 1",
                new Configuration("hospital-a", 7, List.of("patients", "invoices")),
                Instant.parse("2026-11-28T15:23:28.716196Z")), catalog.environment("prod-1"));
        assertEquals(List.of("patients.created", "patients.updated", "patients.deleted", "invoices.created",
                "invoices.updated", "invoices.deleted"), catalog.notificationTypes("prod-1"));
        assertThrows(IllegalArgumentException.class, () -> Topics.ENVIRONMENTS.read(ContractSamples.mapper(), "prod-2",
                ContractSamples.json("keyhook.environments")), "published under another Environment's key");
    }

    @Test
    void anEnvironmentsOwnTokenAlgorithmIsReadBackAndItsAbsenceIsTheDefault() {
        EnvironmentCatalog catalog = new EnvironmentCatalog();
        catalog.learn(Topics.ENVIRONMENTS.read(ContractSamples.mapper(), "prod-2",
                ContractSamples.json("keyhook.environments.rs256")));
        catalog.learn(Topics.ENVIRONMENTS.read(ContractSamples.mapper(), "prod-1",
                ContractSamples.json("keyhook.environments")));

        assertEquals(new EnvironmentStateRecord(1, "prod-2", "Production 2",
                new Configuration("hospital-a", 7, List.of("patients", "invoices")),
                Instant.parse("2026-11-28T15:23:28.716196Z"), "RS256"), catalog.environment("prod-2"));
        assertEquals(null, catalog.environment("prod-1").tokenSigningAlg());
    }

    /** Issue 30: the maximum secret age is read back; a record without it (as every older one) has none. */
    @Test
    void anEnvironmentsMaximumSecretAgeIsReadBackAndOldRecordsHaveNone() {
        EnvironmentCatalog catalog = new EnvironmentCatalog();
        catalog.learn(Topics.ENVIRONMENTS.read(ContractSamples.mapper(), "prod-3",
                ContractSamples.json("keyhook.environments.max-age")));
        catalog.learn(Topics.ENVIRONMENTS.read(ContractSamples.mapper(), "prod-1",
                ContractSamples.json("keyhook.environments")));

        assertEquals(new EnvironmentStateRecord(1, "prod-3", "Production 3",
                new Configuration("hospital-a", 7, List.of("patients", "invoices")),
                Instant.parse("2026-11-28T15:23:28.716196Z"), null, 90, 14), catalog.environment("prod-3"));
        assertTrue(catalog.environment("prod-3").hasSecretMaxAge());
        assertFalse(catalog.environment("prod-1").hasSecretMaxAge());
        assertEquals(null, catalog.environment("prod-1").secretExpiryGraceDays());
        assertEquals(List.of("prod-1", "prod-3"), catalog.ids().stream().sorted().toList());
    }
}
