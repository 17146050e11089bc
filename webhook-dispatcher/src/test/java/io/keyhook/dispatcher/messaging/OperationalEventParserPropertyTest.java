package io.keyhook.dispatcher.messaging;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.testing.ContractSamples;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever lands on {@code keyhook.operational-events}, the operational consumer's parser answers an event it can store
 * (a known type, a plain id, Environment and subject) or a problem to log; it never throws, so no record can stop the
 * consumer or block the topic.
 */
class OperationalEventParserPropertyTest {

    private static final ObjectMapper JSON = ContractSamples.mapper();
    private final OperationalEventParser parser = new OperationalEventParser(JSON, 65536);

    @Property(tries = 500)
    void anyBytesGiveAnEventOrAProblem(@ForAll byte[] value) {
        check(parser.parse(value));
    }

    @Property(tries = 1000)
    void anyFieldValueGivesAPlainEventOrAProblem(@ForAll("hostile") String id, @ForAll("hostile") String environment,
            @ForAll("hostile") String subject, @ForAll("hostile") String type) throws Exception {
        String sample = ContractSamples.json("keyhook.operational-events");
        String record = sample.replace("\"opev_exhausted_dl_Sample1_8\"", JSON.writeValueAsString(id))
                .replace("\"environment\":\"prod-1\"", "\"environment\":" + JSON.writeValueAsString(environment))
                .replace("\"subject\":\"wh_Sample1\"", "\"subject\":" + JSON.writeValueAsString(subject))
                .replace("\"type\":\"keyhook.delivery.exhausted\"", "\"type\":" + JSON.writeValueAsString(type));
        check(parser.parse(record.getBytes(StandardCharsets.UTF_8)));
    }

    private static void check(OperationalEventParser.Result r) {
        if (r.event() == null) {
            assertNotNull(r.problem());
            return;
        }
        assertNull(r.problem());
        OperationalEvent e = r.event();
        assertTrue(OperationalEvent.TYPES.contains(e.type()), e.type());
        assertTrue(OperationalEventParser.plain(e.id()), "id accepted unsafe");
        assertTrue(OperationalEventParser.plain(e.environment()), "environment accepted unsafe");
        assertTrue(e.subject() == null || OperationalEventParser.plain(e.subject()), "subject accepted unsafe");
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars('\u0000', '\n', '\u001f', '\ud800', '\udc00', '\ufffd', 'a', '.')
                        .ofMaxLength(20),
                Arbitraries.of("keyhook.delivery.exhausted", "keyhook.webhook.failing", "prod-1", "wh_a", ""),
                Arbitraries.strings().alpha().ofMinLength(190).ofMaxLength(210));
    }
}
