package io.keyhook.token.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.keyhook.token.service.OAuthException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The token endpoint's own parsers — the form body and the client credentials (Basic header or form) — answer any input
 * with a value or an RFC 6749 error (an {@link OAuthException}, a 400/401), never another exception (a 500).
 */
class CredentialParsingPropertyTest {

    @Property(tries = 300)
    void anyFormBodyParsesOrIsAnOAuthError(@ForAll("bodies") String body) {
        try {
            FormBody.parse(body);
        } catch (OAuthException expected) {
            // an RFC 6749 answer
        }
    }

    @Property(tries = 300)
    void anyAuthorizationHeaderOrFormGivesCredentialsOrAnOAuthError(@ForAll("headers") String authorization,
            @ForAll("bodies") String body) {
        try {
            ClientCredentials.of(authorization, FormBody.parse(body));
        } catch (OAuthException expected) {
            // an RFC 6749 answer
        }
    }

    /**
     * Issue 14: whatever the header or form, credentials that parse carry a well-formed client id (no NUL, no control
     * character, at most 128 characters), with or without a secret. On main a {@code %00} or a 64 KB id came through.
     */
    @Property(tries = 500)
    void credentialsThatParseAlwaysCarryAWellFormedClientId(@ForAll("headers") String authorization,
            @ForAll("bodies") String body) {
        ClientCredentials c;
        try {
            c = ClientCredentials.of(authorization, FormBody.parse(body));
        } catch (OAuthException refused) {
            return;
        }
        if (c != null && !io.keyhook.token.service.ClientIds.wellFormed(c.clientId())) {
            throw new AssertionError("a malformed client id got through: " + c.clientId().length() + " chars");
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("%&=+abc0123456789ABCDEF_").ofMaxLength(60),
                Arbitraries.strings().alpha().ofMaxLength(20).map(s -> "client_id=" + s + "&client_secret=%00" + s),
                Arbitraries.strings().alpha().ofMinLength(60_000).ofMaxLength(70_000).map(s -> "client_id=" + s));
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> basic = Arbitraries.strings().all().ofMaxLength(100)
                .map(s -> "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.oneOf(Arbitraries.just(null), basic, Arbitraries.strings().all().ofMaxLength(100),
                Arbitraries.strings().all().ofMaxLength(100).map(s -> "Basic " + s),
                Arbitraries.strings().withChars("%:0123456789ABCDEF").ofMaxLength(40)
                        .map(s -> "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))));
    }
}
