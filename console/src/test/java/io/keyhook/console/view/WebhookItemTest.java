package io.keyhook.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The webhook list says what the dispatcher's circuit breaker means for deliveries, and nothing while it is closed. */
class WebhookItemTest {

    static WebhookItem item(String breaker) throws Exception {
        return WebhookItem.of(new ObjectMapper().readTree("{\"id\":\"wh_1\",\"url\":\"https://r.example.com\","
                + "\"notificationTypes\":[],\"unavailableNotificationTypes\":[],\"paused\":false,"
                + "\"security\":{\"method\":\"standard-webhooks\",\"secretIds\":[]}"
                + (breaker == null ? "" : ",\"breaker\":" + breaker) + "}"));
    }

    @Test
    void anOpenBreakerSaysUntilWhenAndThatNothingIsLost() throws Exception {
        WebhookItem w = item("{\"state\":\"open\",\"openedAt\":\"2026-12-01T08:40:11Z\","
                + "\"openUntil\":\"2026-12-01T08:40:41Z\"}");
        assertEquals("open", w.breakerState());
        assertTrue(w.breakerNote().contains("2026-12-01 08:40:41 UTC"), w.breakerNote());
        assertTrue(w.breakerNote().contains("nothing is lost"), w.breakerNote());
    }

    @Test
    void closedSaysNothingHalfOpenAndUnknownSayWhatTheyMean() throws Exception {
        assertEquals("", item("{\"state\":\"closed\",\"openedAt\":null,\"openUntil\":null}").breakerNote());
        assertTrue(item("{\"state\":\"half_open\"}").breakerNote().contains("trial"));
        assertTrue(item("{\"state\":\"unknown\"}").breakerNote().contains("did not answer"));
        assertEquals("unknown", item(null).breakerState(), "an answer without a breaker is not called closed");
    }
}
