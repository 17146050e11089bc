package io.keyhook.dispatcher.messaging;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.core.text.SafeText;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a data service publishes, the parser answers an event whose every field is safe to store (no control
 * character, no unpaired surrogate, within its limit) or a reason for the dead letters — it never throws, so no record
 * can stop the consumer.
 */
class EventParserPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventParser parser = new EventParser(JSON, 1_048_576);

    @Property(tries = 500)
    void anyBytesGiveAnEventOrAReason(@ForAll byte[] value, @ForAll("keys") String key) {
        check(parser.parse(key, value));
    }

    @Property(tries = 1000)
    void anyFieldValueGivesASafeEventOrAReason(@ForAll("hostile") String id, @ForAll("hostile") String subject,
            @ForAll("hostile") String resourceId, @ForAll("hostile") String href) throws Exception {
        String record = EventParserTest.GOOD.replace("\"evt-1\"", JSON.writeValueAsString(id))
                .replace("\"subject\":\"p-42\"", "\"subject\":" + JSON.writeValueAsString(subject))
                .replace("\"resourceId\":\"p-42\"", "\"resourceId\":" + JSON.writeValueAsString(resourceId))
                .replace("\"https://api/p/p-42\"", JSON.writeValueAsString(href));
        check(parser.parse("sandbox-test", record));
        check(parser.parse("sandbox-test", record.getBytes(StandardCharsets.UTF_8)));
    }

    private static void check(EventParser.Result r) {
        if (r.ok()) {
            assertNull(r.reason());
            var e = r.event();
            for (String[] f : new String[][] { { "id", e.id() }, { "subject", e.subject() },
                    { "data.resourceId", e.data().resourceId() }, { "data.href", e.data().href() } }) {
                if (f[1] != null) {
                    assertNull(SafeText.problem(f[1], EventParser.LIMITS.get(f[0])), f[0] + " accepted unsafe");
                }
            }
        } else {
            assertNotNull(r.reason());
            assertNotNull(r.detail());
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.just("sandbox-test"), Arbitraries.strings().ofMaxLength(80),
                Arbitraries.just(null));
    }

    /** Short and long strings of any characters, NUL, controls and lone surrogates included. */
    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(5),
                Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMinLength(1).ofMaxLength(3),
                Arbitraries.strings().alpha().ofMinLength(250).ofMaxLength(3000));
    }
}
