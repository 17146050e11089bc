package io.keyhook.webhooks.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The notification-address check never lets through what could change a message's headers, and never throws. */
class NotificationAddressesProperties {

    @Property
    void anyStringIsAnsweredWithoutAnException(@ForAll String s) {
        NotificationAddresses.problemOf(s);
    }

    @Property
    void whatPassesIsPrintableAsciiWithOneAtAndNoSpaceOrHeaderCharacters(@ForAll("candidates") String s) {
        if (NotificationAddresses.problemOf(s) == null) {
            assertTrue(s.chars().allMatch(c -> c > 0x20 && c < 0x7f), s);
            assertEquals(1, s.chars().filter(c -> c == '@').count(), s);
            assertTrue(s.chars().noneMatch(c -> "<>\"(),:;[]\\".indexOf(c) >= 0), s);
            assertTrue(s.length() <= 254, s);
        }
    }

    @Property
    void aControlCharacterAnywhereIsRefused(@ForAll("addresses") String address, @ForAll("controls") char c,
            @ForAll int at) {
        int i = Math.floorMod(at, address.length() + 1);
        assertNotNull(NotificationAddresses.problemOf(address.substring(0, i) + c + address.substring(i)));
    }

    @Property
    void wellFormedAddressesPass(@ForAll("addresses") String address) {
        assertNull(NotificationAddresses.problemOf(address), address);
    }

    @Provide
    Arbitrary<String> addresses() {
        Arbitrary<String> local = Arbitraries.strings().withChars("abcxyz0189+_-").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdefg0123").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> tld = Arbitraries.strings().withChars("abcdefghijklmnop").ofMinLength(2).ofMaxLength(6);
        return Combinators.combine(local, label, tld).as((l, d, t) -> l + "@" + d + "." + t);
    }

    @Provide
    Arbitrary<String> candidates() {
        return Arbitraries.oneOf(addresses(),
                Arbitraries.strings().withChars("ab@.<>\" \r\n\u0000,;:[]\\()-+").ofMaxLength(30),
                Arbitraries.strings().ofMaxLength(300));
    }

    @Provide
    Arbitrary<Character> controls() {
        return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001f'),
                Arbitraries.of('\u007f', ' ', '\u0085', '\u2028', '\u00e9'));
    }
}
