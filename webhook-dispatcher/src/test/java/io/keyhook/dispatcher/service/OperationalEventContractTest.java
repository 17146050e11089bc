package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.dispatcher.messaging.OperationalEventParser;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.OperationalOutbox;
import io.keyhook.testing.ContractSamples;

/**
 * {@code keyhook.operational-events} (issue 31): what the dispatcher writes for a delivery whose retries ran out is
 * exactly the contract's sample, and the operational consumer reads the sample back whole.
 */
class OperationalEventContractTest {

    final ObjectMapper json = ContractSamples.mapper();
    /** Only the topic name is asked for. */
    final KafkaSettings settings = (KafkaSettings) Proxy.newProxyInstance(KafkaSettings.class.getClassLoader(),
            new Class<?>[] { KafkaSettings.class }, (p, m, a) -> "keyhook.operational-events");
    final OperationalEvents events = new OperationalEvents(json, settings);

    static final DeliveryRow DELIVERY = new DeliveryRow("dl_Sample1", 7, "wh_Sample1", "prod-1", "evt_Sample1", "msg_x",
            "patients.updated", "p-42",
            "{\"type\":\"patients.updated\",\"timestamp\":\"2026-11-28T15:23:28Z\",\"eventId\":\"evt_Sample1\","
                    + "\"data\":{\"environment\":\"prod-1\",\"resource\":\"patients\",\"resourceId\":\"p-42\","
                    + "\"action\":\"updated\",\"updatedAt\":\"2026-11-28T15:23:27Z\",\"href\":null}}",
            "pending", 7, null, Instant.parse("2026-11-28T15:23:28Z"), null);

    @Test
    void anExhaustedDeliveryIsWrittenAsTheSample() throws Exception {
        OperationalOutbox.Row row = events.exhausted(new OperationalEvents.Ended(DELIVERY, "failed", 8, 503, "HTTP 503",
                Instant.parse("2026-11-29T16:00:00Z")), null);

        assertEquals("keyhook.operational-events", row.topic());
        assertEquals("prod-1", row.key());
        assertEquals(ContractSamples.tree("keyhook.operational-events"), json.readTree(row.payload()));
    }

    @Test
    void theSampleIsReadBackWhole() throws Exception {
        String sample = ContractSamples.json("keyhook.operational-events");
        var read = new OperationalEventParser(json, 65536).parse(sample.getBytes(StandardCharsets.UTF_8));

        assertNull(read.problem());
        assertNotNull(read.event());
        assertEquals(ContractSamples.tree("keyhook.operational-events"),
                json.readTree(json.writeValueAsString(read.event())));
        assertEquals("keyhook.delivery.exhausted", read.event().type());
        assertEquals(8, read.event().data().get("attempts"));
    }

    @Test
    void anOperationalWebhooksOwnDeliveryIsNotReportedAsExhausted() {
        DeliveryRow own = new DeliveryRow("dl_Own1", 1, "wh_Ops1", "prod-1", "opev_x", "msg_y",
                "keyhook.webhook.failing", "wh_a", "{}", "pending", 3, null, Instant.now(), null);
        assertNull(
                events.exhausted(new OperationalEvents.Ended(own, "failed", 4, 500, "HTTP 500", Instant.now()), null));
    }
}
