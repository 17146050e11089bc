package io.keyhook.webhooks.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Finishing a rotation: the old secret leaves a webhook's list, and the new one takes its place if missing. */
class RotationStepsTest {

    @Test
    void theOldSecretLeavesAndTheOthersKeepTheirOrder() {
        assertEquals(List.of("sec_b", "sec_new"),
                RotationService.withoutOld(List.of("sec_old", "sec_b", "sec_new"), "sec_old", "sec_new"));
    }

    @Test
    void aWebhookThatOnlyHadTheOldSecretGetsTheNewOneInItsPlace() {
        // e.g. a webhook created with the old secret after the rotation started
        assertEquals(List.of("sec_new", "sec_b"),
                RotationService.withoutOld(List.of("sec_old", "sec_b"), "sec_old", "sec_new"));
    }
}
