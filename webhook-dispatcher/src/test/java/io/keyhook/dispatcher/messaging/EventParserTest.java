package io.keyhook.dispatcher.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Every way a data-change record can be unusable gets its own dead-letter reason; a good one parses. */
class EventParserTest {

    private final EventParser parser = new EventParser(new ObjectMapper(), 1_048_576);

    static final String GOOD = "{\"specversion\":\"1.0\",\"id\":\"evt-1\",\"source\":\"/patients\","
            + "\"type\":\"patients.updated\",\"time\":\"2026-11-28T10:00:00Z\",\"subject\":\"p-42\","
            + "\"environment\":\"sandbox-test\",\"data\":{\"resource\":\"patients\",\"resourceId\":\"p-42\","
            + "\"action\":\"updated\",\"updatedAt\":\"2026-11-28T10:00:00Z\",\"href\":\"https://api/p/p-42\"}}";

    @Test
    void aWellFormedEventParses() {
        EventParser.Result r = parser.parse("sandbox-test", GOOD);
        assertTrue(r.ok());
        assertEquals("patients.updated", r.event().type());
        assertEquals("patients", r.event().dataType());
        assertEquals("p-42", r.event().subject());
        assertEquals("sandbox-test", r.event().environment());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "sandbox-test|not json|not_json", "sandbox-test|[1,2]|not_json",
            "sandbox-test|{\"id\":\"x\"}|not_cloudevent",
            "sandbox-test|{\"specversion\":\"0.3\",\"id\":\"x\",\"source\":\"s\",\"type\":\"patients.updated\"}|unsupported_specversion",
            "sandbox-test|{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"patients.updated\"}|missing_environment",
            "other-env|GOOD|environment_mismatch", "sandbox-test|TYPE:patients.*|bad_type",
            "sandbox-test|TYPE:patients.viewed|bad_type", "sandbox-test|NODATA|bad_data" })
    void unusableRecordsNameTheirReason(String key, String value, String reason) {
        String record = switch (value) {
        case "GOOD" -> GOOD;
        case "NODATA" -> GOOD.substring(0, GOOD.indexOf(",\"data\"")) + "}";
        default -> value.startsWith("TYPE:") ? GOOD.replace("patients.updated", value.substring(5)) : value;
        };
        EventParser.Result r = parser.parse(key, record);
        assertEquals(reason, r.reason().code(), record);
    }

    @Test
    void aTwoMegabyteRecordIsTooLarge() {
        String big = GOOD.replace("\"href\":\"https://api/p/p-42\"", "\"href\":\"" + "x".repeat(2_000_000) + "\"");
        assertEquals("too_large", parser.parse("sandbox-test", big).reason().code());
    }
}
