package io.keyhook.webhooks.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.testing.ContractSamples;
import io.keyhook.webhooks.persistence.WebhookRow;

/**
 * What this service publishes on {@code keyhook.webhooks} is exactly the contract's sample (the dispatcher's tests read
 * the same sample back): names, values and nulls.
 */
class WebhookStatesTest {

    @Test
    void aWebhookIsPublishedAsTheContractSays() throws Exception {
        WebhookRow row = new WebhookRow("wh_Sample1", "prod-1", "https://receiver.example/hooks", "token-exchange",
                List.of("sec_Active1", "sec_Next1"), "https://receiver.example/oauth/token",
                List.of("patients.created", "patients.updated"), false, 4, Instant.parse("2026-11-01T08:30:00Z"),
                Instant.parse("2026-11-28T15:23:28.716196Z"));

        ObjectMapper json = ContractSamples.mapper();
        assertEquals(ContractSamples.tree("keyhook.webhooks"),
                json.readTree(json.writeValueAsString(WebhookStates.of(row))));
    }

    @Test
    void aWebhookWithKeysOfItsOwnIsPublishedAsTheContractSays() throws Exception {
        List<WebhookState.SigningKey> keys = List.of(
                new WebhookState.SigningKey("whk_Old1", "ed25519", "retired",
                        "whpk_O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=", "vault:v1:b2xkLXByaXZhdGUta2V5", 1,
                        Instant.parse("2026-11-01T08:30:00Z"), Instant.parse("2026-11-20T09:00:00Z")),
                new WebhookState.SigningKey("whk_New1", "ed25519", "active",
                        "whpk_GUu3YrMgWMCBrAqpwsygOEWdjSXUgrRvN0dHKPDXJHE=", "vault:v2:bmV3LXByaXZhdGUta2V5", 2,
                        Instant.parse("2026-11-19T10:00:00Z"), null));
        WebhookRow row = new WebhookRow("wh_Sample2", "prod-1", "https://receiver.example/hooks", "standard-webhooks",
                List.of(), null, List.of("patients.created"), false, 7, Instant.parse("2026-11-01T08:30:00Z"),
                Instant.parse("2026-11-20T09:00:00Z"), "v1a", keys);

        ObjectMapper json = ContractSamples.mapper();
        assertEquals(ContractSamples.tree("keyhook.webhooks.v1a"),
                json.readTree(json.writeValueAsString(WebhookStates.of(row))));
    }
}
