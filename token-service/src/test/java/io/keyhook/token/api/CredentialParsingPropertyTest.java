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
