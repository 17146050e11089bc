package io.keyhook.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Checked fields name what is wrong; sanitised text is always storable and never longer than asked. */
class SafeTextTest {

    @Test
    void problemsNameWhatIsWrong() {
        assertNull(SafeText.problem("p-42 \u00e9\ud83d\ude00", 20));
        assertEquals("contains a NUL character", SafeText.problem("a\u0000b", 20));
        assertEquals("contains a control character (U+001B)", SafeText.problem("a\u001bb", 20));
        assertEquals("contains a control character (U+0085)", SafeText.problem("a\u0085b", 20));
        assertEquals("contains an unpaired surrogate (not valid Unicode)", SafeText.problem("a\ud800b", 20));
        assertEquals("longer than 3 characters", SafeText.problem("abcd", 3));
    }

    @Test
    void sanitisingReplacesWhatCannotBeStoredAndKeepsTheRest() {
        assertEquals("ok\uFFFD\ttab\nline", SafeText.sanitize("ok\u0000\ttab\nline", 100));
        assertEquals("a\uFFFDb", SafeText.sanitize("a\udc00b", 100));
        // a cap never splits a surrogate pair
        assertEquals("ab", SafeText.sanitize("ab\ud83d\ude00", 3));
        assertEquals("ok\uFFFD\uFFFD(\uFFFD",
                SafeText.decode(new byte[] { 'o', 'k', 0, (byte) 0xC3, '(', (byte) 0xFF }, 6, 100));
        assertNull(SafeText.decodeStrict(new byte[] { (byte) 0xC3, '(' }));
        assertEquals("\u00e9", SafeText.decodeStrict("\u00e9".getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 500)
    void sanitisedTextIsAlwaysSafeAndWithinTheCap(@ForAll String any, @ForAll byte[] bytes) {
        String s = SafeText.sanitize(any, 50);
        assertNull(SafeText.problem(s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' '), 50));
        String d = SafeText.decode(bytes, bytes.length, 64);
        assertNull(SafeText.problem(d.replace('\t', ' ').replace('\n', ' ').replace('\r', ' '), 64));
    }
}
