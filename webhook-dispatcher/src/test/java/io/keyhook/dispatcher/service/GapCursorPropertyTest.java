package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The gap manifest's page cursor: what it makes reads back the same; anything else is refused, never thrown. */
class GapCursorPropertyTest {

    @Property
    void whatItEncodesParsesBackTheSame(@ForAll("instants") Instant at, @ForAll("keys") String key) {
        GapCursor c = new GapCursor(at, key);
        assertEquals(c, GapCursor.parse(c.encode()));
    }

    @Property
    void anyTextIsACursorOrNullNeverAnException(@ForAll String text) {
        GapCursor c = GapCursor.parse(text);
        assertTrue(c == null || c.orderingKey().indexOf('\u0000') < 0);
    }

    @Property
    void anyBytesBehindTheBase64AreACursorOrNull(@ForAll byte[] bytes) {
        GapCursor c = GapCursor.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        assertTrue(c == null || c.orderingKey().indexOf('\u0000') < 0);
    }

    @Example
    void nulTooLongAndForeignCursorsAreRefused() {
        String nul = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("2026-01-01T00:00:00Z\na\u0000b".getBytes(StandardCharsets.UTF_8));
        assertNull(GapCursor.parse(nul));
        assertNull(GapCursor.parse("A".repeat(GapCursor.MAX_LENGTH + 1)));
        assertNull(GapCursor.parse("12345"));
        assertNull(GapCursor.parse("bm90LWEtY3Vyc29y"));
        assertNull(GapCursor.parse(""));
        assertNull(GapCursor.parse(null));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(0, 253_402_300_799L).flatMap(s -> Arbitraries.integers().between(0, 999_999)
                .map(micros -> Instant.ofEpochSecond(s, micros * 1000L)));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().excludeChars('\u0000').ofMaxLength(300);
    }
}
