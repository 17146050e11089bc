package io.keyhook.dispatcher.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.core.id.Ids;
import io.keyhook.core.id.NotificationTypes;
import io.keyhook.core.text.SafeText;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What is kept of a dead-lettered record so it can be followed by its id ({@link EventParser#identify}): for any bytes,
 * either nothing or an Environment, an id and optional fields that are each safe to store — it never throws.
 */
class EventIdentityPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventParser parser = new EventParser(JSON, 1_048_576);

    @Property(tries = 500)
    void anyBytesGiveNothingOrASafeIdentity(@ForAll byte[] value, @ForAll("keys") String key) {
        check(parser.identify(key, value));
    }

    @Property(tries = 1000)
    void anyFieldValueGivesNothingOrASafeIdentity(@ForAll("hostile") String id, @ForAll("hostile") String subject,
            @ForAll("hostile") String resourceId, @ForAll("hostile") String type) throws Exception {
        String record = EventParserTest.GOOD.replace("\"evt-1\"", JSON.writeValueAsString(id))
                .replace("\"subject\":\"p-42\"", "\"subject\":" + JSON.writeValueAsString(subject))
                .replace("\"resourceId\":\"p-42\"", "\"resourceId\":" + JSON.writeValueAsString(resourceId))
                .replace("\"patients.updated\"", JSON.writeValueAsString(type));
        EventParser.Identity found = parser.identify("sandbox-test", record.getBytes(StandardCharsets.UTF_8));
        check(found);
        if (found != null) {
            // as published: a lone surrogate has no UTF-8 form, so the record's bytes carry '?' instead
            assertEquals(new String(id.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), found.id(),
                    "an id is kept exactly as published, or not at all");
        }
    }

    @Test
    void aRecordWithAReadableIdIsIdentifiedAndOneWithoutIsNot() throws Exception {
        String badData = EventParserTest.GOOD.replace("\"data\":{", "\"data\":{\"x\":1,")
                .replace("\"action\":\"updated\",", "");
        EventParser.Identity id = parser.identify(null, badData.getBytes(StandardCharsets.UTF_8));
        assertNotNull(id);
        assertEquals("sandbox-test", id.environment());
        assertEquals("evt-1", id.id());
        assertEquals("patients.updated", id.type());
        assertEquals("p-42", id.resourceId());
        // another Environment's key, an id with a NUL, an over-long id, a nested bomb: nothing kept
        assertNull(parser.identify("other-env", badData.getBytes(StandardCharsets.UTF_8)));
        assertNull(parser.identify(null, EventParserTest.GOOD.replace("evt-1", "evt\\u00001").getBytes()));
        assertNull(parser.identify(null, EventParserTest.GOOD.replace("evt-1", "e".repeat(257)).getBytes()));
        assertNull(parser.identify(null, "[".repeat(100_000).getBytes()));
        assertNull(parser.identify(null, new byte[] { (byte) 0xff, '{', '}' }));
        assertNull(new EventParser(JSON, 10).identify(null, EventParserTest.GOOD.getBytes()));
    }

    private static void check(EventParser.Identity found) {
        if (found == null) {
            return;
        }
        assertTrue(Ids.isEnvironment(found.environment()));
        assertNull(SafeText.problem(found.id(), EventParser.LIMITS.get("id")));
        assertTrue(found.type() == null || NotificationTypes.isType(found.type()));
        if (found.subject() != null) {
            assertNull(SafeText.problem(found.subject(), EventParser.LIMITS.get("subject")));
        }
        if (found.resourceId() != null) {
            assertNull(SafeText.problem(found.resourceId(), EventParser.LIMITS.get("data.resourceId")));
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.just("sandbox-test"), Arbitraries.strings().ofMaxLength(80),
                Arbitraries.just(null));
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(5),
                Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMinLength(1).ofMaxLength(3),
                Arbitraries.strings().alpha().ofMinLength(250).ofMaxLength(3000));
    }
}
