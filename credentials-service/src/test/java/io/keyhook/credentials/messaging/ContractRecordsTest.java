package io.keyhook.credentials.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.ConfigurationEntity;
import io.keyhook.credentials.persistence.EnvironmentEntity;
import io.keyhook.credentials.persistence.SecretEntity;
import io.keyhook.credentials.service.JwksValidator;
import io.keyhook.testing.ContractSamples;

/**
 * What this service publishes on {@code keyhook.credentials} and {@code keyhook.environments} is exactly the contract's
 * sample (every reader's tests read the same sample back): names, values and nulls.
 */
class ContractRecordsTest {

    static final ObjectMapper JSON = ContractSamples.mapper();

    /** The record as the outbox writes it, read back as a tree. */
    static JsonNode written(Object record) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(record));
    }

    static SecretEntity secret(String id, String status, String verifier, String ciphertext, int keyVersion,
            String createdAt, String invalidatedAt) {
        SecretEntity s = new SecretEntity();
        s.id = id;
        s.status = status;
        s.verifier = verifier;
        s.ciphertext = ciphertext;
        s.keyVersion = keyVersion;
        s.createdAt = Instant.parse(createdAt);
        s.invalidatedAt = invalidatedAt == null ? null : Instant.parse(invalidatedAt);
        s.lastUsedAt = Instant.parse("2026-11-28T16:00:00Z");
        s.disclosedTo = "receiver.example";
        return s;
    }

    static ClientEntity client(String kind, String id, String environment, String name) {
        ClientEntity c = new ClientEntity();
        c.kind = kind;
        c.id = id;
        c.environmentId = environment;
        c.name = name;
        c.description = "not on the topic";
        c.status = ClientEntity.ACTIVE;
        c.createdAt = Instant.parse("2026-11-01T08:30:00Z");
        c.updatedAt = Instant.parse("2026-11-28T15:23:28.716196Z");
        return c;
    }

    @Test
    void anApiClientIsPublishedAsTheContractSays() throws Exception {
        ClientEntity c = client(ClientEntity.API, "patient-sync", "prod-1", "Patient sync");
        c.groups = List.of("ignored-for-an-api-client");
        c.environments = List.of("ignored-for-an-api-client");
        var secrets = List.of(
                secret("sec_Active1", "active", "h1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
                        "vault:v1:c2VjcmV0LW9uZQ==", 1, "2026-11-28T15:00:00Z", null),
                secret("sec_Old1", "invalidated", "h1:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA",
                        "vault:v1:c2VjcmV0LXR3bw==", 2, "2026-11-01T08:30:00Z", "2026-11-28T15:23:28.716196Z"));

        assertEquals(ContractSamples.tree("keyhook.credentials.api"), written(OutboxWriter.stateOf(c, secrets)));
    }

    @Test
    void aPrivateKeyJwtClientIsPublishedWithItsJwksAndNoSecrets() throws Exception {
        ClientEntity c = client(ClientEntity.API, "cl_BackendSvc1", "prod-1", "Backend service");
        c.authMethod = ClientEntity.PRIVATE_KEY_JWT;
        // stored as the validated JWKS text; published as JSON, not as a string
        c.jwks = ContractSamples.tree("keyhook.credentials.api.private_key_jwt").get("jwks").toString();

        JsonNode published = written(OutboxWriter.stateOf(c, List.of()));
        assertEquals(ContractSamples.tree("keyhook.credentials.api.private_key_jwt"), published);
        // the sample is what the validator accepts, and what a strict reader reads back
        JwksValidator.validate(published.get("jwks"));
        ClientStateRecord read = JSON.readValue(ContractSamples.json("keyhook.credentials.api.private_key_jwt"),
                ClientStateRecord.class);
        assertEquals(ClientStateRecord.PRIVATE_KEY_JWT, read.authMethod());
        assertEquals("ec-2026-11", read.jwks().get("keys").get(0).get("kid").asText());
    }

    @Test
    void aJwksUriClientIsPublishedWithItsUrlAndAClientSecretClientWithoutIssue30sFields() throws Exception {
        ClientEntity c = client(ClientEntity.API, "cl_Remote1", "prod-1", "Remote keys");
        c.authMethod = ClientEntity.PRIVATE_KEY_JWT;
        c.jwksUri = "https://keys.clinic.example/jwks.json";
        JsonNode published = written(OutboxWriter.stateOf(c, List.of()));
        assertEquals("https://keys.clinic.example/jwks.json", published.get("jwksUri").asText());
        assertFalse(published.has("jwks"));

        ClientEntity old = client(ClientEntity.API, "patient-sync", "prod-1", "Patient sync");
        String text = JSON.writeValueAsString(OutboxWriter.stateOf(old, List.of()));
        for (String field : List.of("authMethod", "jwks", "jwksUri", "scopes", "tokenLifetimeSeconds")) {
            assertFalse(text.contains("\"" + field + "\""), field + " in " + text);
        }
    }

    @Test
    void aScopedClientIsPublishedWithItsScopesAndTokenLifetime() throws Exception {
        ClientEntity c = client(ClientEntity.API, "lab-feed", "prod-1", "Lab feed");
        c.scopes = List.of("system/patients.rs", "system/observations.read", "system/*.s");
        c.tokenLifetimeSeconds = 300L;
        var secrets = List.of(secret("sec_Lab1", "active", "h1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
                "vault:v1:c2VjcmV0LW9uZQ==", 1, "2026-11-28T15:00:00Z", null));

        assertEquals(ContractSamples.tree("keyhook.credentials.api.scoped"), written(OutboxWriter.stateOf(c, secrets)));
    }

    @Test
    void aClientWithoutScopesIsPublishedByteForByteAsBefore() throws Exception {
        ClientEntity c = client(ClientEntity.API, "patient-sync", "prod-1", "Patient sync");
        var secrets = List.of(
                secret("sec_Active1", "active", "h1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
                        "vault:v1:c2VjcmV0LW9uZQ==", 1, "2026-11-28T15:00:00Z", null),
                secret("sec_Old1", "invalidated", "h1:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA",
                        "vault:v1:c2VjcmV0LXR3bw==", 2, "2026-11-01T08:30:00Z", "2026-11-28T15:23:28.716196Z"));

        // the exact text, not only the same tree: no "scopes":null or "tokenLifetimeSeconds":null appears
        assertEquals(ContractSamples.json("keyhook.credentials.api"),
                JSON.writeValueAsString(OutboxWriter.stateOf(c, secrets)));
    }

    @Test
    void anAdminClientIsPublishedWithItsGroupsAndEnvironments() throws Exception {
        ClientEntity c = client(ClientEntity.ADMIN, "ops-robot", null, "Ops robot");
        c.groups = List.of("integration-admin", "platform-operator");
        c.environments = List.of("prod-1", "staging");
        var secrets = List.of(
                secret("sec_AdminA", "active", "h1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", null, 1,
                        "2026-11-28T15:00:00Z", null),
                secret("sec_AdminB", "invalidated", "h1:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA", null, 1,
                        "2026-11-01T08:30:00Z", "2026-11-20T10:00:00Z"));

        assertEquals(ContractSamples.tree("keyhook.credentials.admin"), written(OutboxWriter.stateOf(c, secrets)));
    }

    @Test
    void anEnvironmentIsPublishedWithItsConfigurationAtMicrosecondPrecision() throws Exception {
        EnvironmentEntity e = new EnvironmentEntity();
        e.id = "prod-1";
        e.name = "Production 1";
        e.configurationName = "hospital-a";
        e.updatedAt = Instant.parse("2026-11-20T10:00:00Z");
        ConfigurationEntity c = new ConfigurationEntity();
        c.name = "hospital-a";
        c.version = 7;
        c.dataTypes = List.of("patients", "invoices");
        // the Configuration changed last, in memory at nanosecond precision
        c.updatedAt = Instant.parse("2026-11-28T15:23:28.716196999Z");

        assertEquals(ContractSamples.tree("keyhook.environments"), written(OutboxWriter.stateOf(e, c)));
    }

    /** Issue 30: an operator's algorithm choice is published; without one the record is unchanged (test above). */
    @Test
    void anEnvironmentsTokenSigningAlgorithmIsPublished() throws Exception {
        EnvironmentEntity e = new EnvironmentEntity();
        e.id = "prod-2";
        e.name = "Production 2";
        e.configurationName = "hospital-a";
        e.updatedAt = Instant.parse("2026-11-28T15:23:28.716196Z");
        e.tokenSigningAlg = "RS256";
        ConfigurationEntity c = new ConfigurationEntity();
        c.name = "hospital-a";
        c.version = 7;
        c.dataTypes = List.of("patients", "invoices");
        c.updatedAt = Instant.parse("2026-11-20T10:00:00Z");

        assertEquals(ContractSamples.tree("keyhook.environments.rs256"), written(OutboxWriter.stateOf(e, c)));
    }

    /**
     * Issue 30: an Environment's maximum secret age is published (webhook-config-service applies it to webhooks' own
     * keys); without one neither field appears, whatever the grace (test above: the entity's default grace is 14).
     */
    @Test
    void anEnvironmentsMaximumSecretAgeIsPublished() throws Exception {
        EnvironmentEntity e = new EnvironmentEntity();
        e.id = "prod-3";
        e.name = "Production 3";
        e.configurationName = "hospital-a";
        e.updatedAt = Instant.parse("2026-11-28T15:23:28.716196Z");
        e.secretMaxAgeDays = 90;
        e.secretExpiryGraceDays = 14;
        ConfigurationEntity c = new ConfigurationEntity();
        c.name = "hospital-a";
        c.version = 7;
        c.dataTypes = List.of("patients", "invoices");
        c.updatedAt = Instant.parse("2026-11-20T10:00:00Z");

        assertEquals(ContractSamples.tree("keyhook.environments.max-age"), written(OutboxWriter.stateOf(e, c)));
        e.secretMaxAgeDays = null;
        String without = JSON.writeValueAsString(OutboxWriter.stateOf(e, c));
        assertFalse(without.contains("secretMaxAgeDays") || without.contains("secretExpiryGraceDays"), without);
    }
}
