package io.keyhook.webhooks.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

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
}
