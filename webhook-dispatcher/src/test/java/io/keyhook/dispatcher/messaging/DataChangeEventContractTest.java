package io.keyhook.dispatcher.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.DataChangeEvent;
import io.keyhook.testing.ContractSamples;

/**
 * The parser reads the documented data-change event (docs/publishing-events.md) whole, and the contract's record,
 * written as JSON, is such an event.
 */
class DataChangeEventContractTest {

    static final DataChangeEvent SAMPLE = new DataChangeEvent("evt_Sample1", "/services/patients", "patients.updated",
            "2026-11-28T15:23:28Z", "p-42", "prod-1", new DataChangeEvent.Data("patients", "p-42", "updated",
                    "2026-11-28T15:23:27Z", "https://fhir.example/Patient/p-42"));

    final ObjectMapper json = ContractSamples.mapper();
    final EventParser parser = new EventParser(json, 64 * 1024);

    @Test
    void theSampleIsParsedWhole() {
        EventParser.Result r = parser.parse("prod-1", ContractSamples.json("keyhook.data-changes"));
        assertTrue(r.ok(), String.valueOf(r.reason()));
        assertEquals(SAMPLE, r.event());
        assertEquals("patients", r.event().dataType());
    }

    @Test
    void theRecordWrittenAsJsonIsTheSampleEvent() throws Exception {
        String written = json.writeValueAsString(SAMPLE);

        assertEquals(ContractSamples.tree("keyhook.data-changes"), json.readTree(written));
        assertEquals(SAMPLE, parser.parse("prod-1", written).event());
    }
}
