package io.keyhook.token.service;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What the audit stores for a client id: any input, however hostile, becomes a short line of printable ASCII, and a
 * secret typed into the id field leaves nothing of its value behind.
 */
class ClientIdsPropertyTest {

    @Property(tries = 1000)
    void anyIdIsAuditedAsAShortPrintableLine(@ForAll("ids") String id) {
        String shown = ClientIds.forAudit(id);
        // at most: the prefix, 24 characters escaped as six-character unicode escapes, the suffix with the length
        if (shown.length() > 200) {
            throw new AssertionError("too long: " + shown.length());
        }
        for (char c : shown.toCharArray()) {
            if ((c < 0x20 || c > 0x7e) && c != '\u2026') {
                throw new AssertionError("unprintable character " + (int) c + " in " + shown);
            }
        }
        if (ClientIds.wellFormed(id) != shown.equals(id)) {
            throw new AssertionError("a well-formed id is shown as itself, anything else is not: " + shown);
        }
    }

    @Property(tries = 300)
    void aSecretInTheIdFieldLeavesNothingOfItsValue(@ForAll("secrets") String secret) {
        String shown = ClientIds.forAudit(secret);
        String value = secret.substring("whsec_".length());
        for (int i = 0; i + 4 <= value.length(); i++) {
            if (shown.contains(value.substring(i, i + 4))) {
                throw new AssertionError("part of the secret is in " + shown);
            }
        }
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withChars("cl_abcXYZ019.:-").ofMinLength(1).ofMaxLength(140),
                Arbitraries.strings().all().ofMinLength(60_000).ofMaxLength(66_000),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().withChars("ABCDEFGHJKLMNPQRSTUVWXYZ").ofMinLength(40).ofMaxLength(48)
                .map(s -> "whsec_" + s);
    }
}
