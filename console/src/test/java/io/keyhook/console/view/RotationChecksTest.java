package io.keyhook.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The rotation wizard reads the verification as webhook-config-service answers it, and the dormancy report. */
class RotationChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bothChecksAndEachPingAreShownWithWhatFailed() throws Exception {
        RotationChecks c = RotationChecks.of(JSON.readTree("{\"id\":\"rot_1\",\"checks\":{\"passed\":false,"
                + "\"checkedAt\":\"2026-12-07T17:02:11Z\",\"receiver\":{\"passed\":false,\"pings\":["
                + "{\"webhookId\":\"wh_a\",\"delivered\":true,\"statusCode\":204},"
                + "{\"webhookId\":\"wh_b\",\"delivered\":false,\"error\":\"timeout\"}]},"
                + "\"app\":{\"passed\":false,\"oldSecretId\":\"sec_o\",\"lastUsedAt\":\"2026-12-07T17:01:58Z\","
                + "\"quietPeriod\":\"PT10M\",\"quietUntil\":\"2026-12-07T17:11:58Z\"}}}"));
        assertFalse(c.passed());
        assertTrue(c.ran());
        assertFalse(c.receiverPassed());
        assertEquals(List.of("wh_a: HTTP 204 ✓", "wh_b: timeout ✗"), c.pings());
        assertFalse(c.appPassed());
        assertEquals("2026-12-07 17:11:58 UTC", c.quietUntil());
        assertEquals("PT10M", c.quietPeriod());
        assertFalse(c.overridden());
    }

    @Test
    void anOverrideShowsWhoAndWhyAndNoChecksShowNothing() throws Exception {
        RotationChecks c = RotationChecks.of(JSON.readTree("{\"checks\":{\"passed\":false,"
                + "\"override\":{\"by\":\"adm_ops\",\"reason\":\"receiver switched by hand\",\"at\":\"2026-12-07T17:05:00Z\"}}}"));
        assertTrue(c.overridden());
        assertFalse(c.ran(), "an override without a check ran none");
        assertEquals("adm_ops", c.overriddenBy());
        assertEquals("receiver switched by hand", c.overrideReason());
        assertNull(RotationChecks.of(JSON.readTree("{\"id\":\"rot_2\",\"state\":\"overlapping\"}")));
    }

    @Test
    void aDormantSecretSaysWhenItWasLastUsedOrNever() throws Exception {
        DormantSecret d = DormantSecret.of(JSON.readTree("{\"clientId\":\"cl_a\",\"clientName\":\"app\","
                + "\"secretId\":\"sec_a\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"lastUsedAt\":null,\"unusedDays\":340}"));
        assertEquals("never", d.lastUsed());
        assertEquals(340, d.unusedDays());
        SecretItem old = SecretItem.of(JSON.readTree("{\"id\":\"sec_b\",\"status\":\"active\",\"usedByWebhooks\":[],"
                + "\"ageFlaggedAt\":\"2026-12-01T00:00:00Z\"}"));
        assertTrue(old.tooOld());
        assertFalse(SecretItem.of(JSON.readTree("{\"id\":\"sec_c\",\"status\":\"active\",\"usedByWebhooks\":[]}"))
                .tooOld());
    }
}
