package io.keyhook.dispatcher.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.common.contract.Topics;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.testing.ContractSamples;

/** The dispatcher's views read back, whole, the records credentials-service and webhook-config-service publish. */
class ContractReadersTest {

    @Test
    void aWebhookRecordIsReadBackWhole() {
        WebhookView view = new WebhookView();
        view.put("wh_Sample1",
                Topics.WEBHOOKS.read(ContractSamples.mapper(), "wh_Sample1", ContractSamples.json("keyhook.webhooks")));

        assertEquals(new WebhookState(1, "wh_Sample1", "prod-1", "https://receiver.example/hooks",
                List.of("patients.created", "patients.updated"), false,
                new WebhookState.Security("token-exchange", List.of("sec_Active1", "sec_Next1"),
                        "https://receiver.example/oauth/token"),
                4, Instant.parse("2026-11-01T08:30:00Z"), Instant.parse("2026-11-28T15:23:28.716196Z")),
                view.webhook("wh_Sample1"));
        assertEquals(List.of(view.webhook("wh_Sample1")), view.ofEnvironment("prod-1"));
    }

    @Test
    void aWebhooksOwnSigningKeysAreReadBackWhole() {
        WebhookView view = new WebhookView();
        view.put("wh_Sample2", Topics.WEBHOOKS.read(ContractSamples.mapper(), "wh_Sample2",
                ContractSamples.json("keyhook.webhooks.v1a")));

        WebhookState.Security s = view.webhook("wh_Sample2").security();
        assertEquals("v1a", s.signatureScheme());
        assertEquals(List.of(), s.secretIds());
        assertEquals(List.of(
                new WebhookState.SigningKey("whk_Old1", "ed25519", "retired",
                        "whpk_O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=", "vault:v1:b2xkLXByaXZhdGUta2V5", 1,
                        Instant.parse("2026-11-01T08:30:00Z"), Instant.parse("2026-11-20T09:00:00Z")),
                new WebhookState.SigningKey("whk_New1", "ed25519", "active",
                        "whpk_GUu3YrMgWMCBrAqpwsygOEWdjSXUgrRvN0dHKPDXJHE=", "vault:v2:bmV3LXByaXZhdGUta2V5", 2,
                        Instant.parse("2026-11-19T10:00:00Z"), null)),
                s.signingKeys());
    }

    @Test
    void anApiClientsSecretsAreReadBackAsSigningSecrets() {
        SigningSecrets secrets = new SigningSecrets(null);
        secrets.put("patient-sync", Topics.CREDENTIALS.read(ContractSamples.mapper(), "patient-sync",
                ContractSamples.json("keyhook.credentials.api")));

        assertEquals(
                new SigningSecrets.Entry("sec_Active1", "patient-sync", "prod-1", true, "vault:v1:c2VjcmV0LW9uZQ=="),
                secrets.entry("sec_Active1"));
        assertEquals(new SigningSecrets.Entry("sec_Old1", "patient-sync", "prod-1", false, "vault:v1:c2VjcmV0LXR3bw=="),
                secrets.entry("sec_Old1"));

        secrets.remove("patient-sync");
        assertNull(secrets.entry("sec_Active1"), "a deleted client's secrets sign nothing");
    }

    @Test
    void anAdminClientsSecretsNeverSignWebhooks() {
        SigningSecrets secrets = new SigningSecrets(null);
        secrets.put("ops-robot", Topics.CREDENTIALS.read(ContractSamples.mapper(), "ops-robot",
                ContractSamples.json("keyhook.credentials.admin")));

        assertNull(secrets.entry("sec_AdminA"));
    }
}
