package io.keyhook.core.net;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** token-exchange sends a client secret only to the receiver's own site (issue 14, point 4). */
class TokenUrlPolicyTest {

    private final TokenUrlPolicy policy = new TokenUrlPolicy(Set.of("login.idp.example.com"));

    @ParameterizedTest
    @CsvSource({ "https://hooks.clinic.example.com/in, https://auth.clinic.example.com/oauth2/token",
            "https://hooks.clinic.example.com/in, https://clinic.example.com/token",
            "https://hooks.clinic.co.uk/in, https://login.clinic.co.uk/token",
            "https://203.0.113.7:8443/in, https://203.0.113.7/token",
            "https://receiver/in, https://receiver:9443/token",
            "https://hooks.clinic.example.com/in, https://login.idp.example.com/token",
            "https://HOOKS.Clinic.Example.com./in, https://auth.clinic.example.com/token" })
    void theReceiversOwnSiteOrAnAllowedHostMayHaveTheSecret(String destination, String tokenUrl) {
        assertDoesNotThrow(() -> policy.check(destination, tokenUrl));
    }

    @ParameterizedTest
    @CsvSource({ "https://hooks.clinic.example.com/in, https://attacker.example.net/token",
            // two customers under one public suffix are not one site
            "https://hooks.clinic.co.uk/in, https://evil.co.uk/token",
            "https://clinic.github.io/in, https://attacker.github.io/token",
            "https://203.0.113.7/in, https://203.0.113.8/token", "https://receiver/in, https://other/token",
            "https://hooks.clinic.example.com/in, not a url" })
    void anyOtherHostIsRefused(String destination, String tokenUrl) {
        assertEquals("token_url_foreign",
                assertThrows(UnsafeDestinationException.class, () -> policy.check(destination, tokenUrl)).code());
    }

    /** What a token-exchange secret is pinned to (issue 28, point 4): the same rule as {@link TokenUrlPolicy#check}. */
    @ParameterizedTest
    @CsvSource({ "https://auth.clinic.co.uk/oauth2/token, clinic.co.uk",
            "https://HOOKS.Clinic.Co.UK.:8443/token?x=1, clinic.co.uk",
            "https://attacker.github.io/token, attacker.github.io", "https://203.0.113.7:8443/token, 203.0.113.7",
            "https://receiver:9443/token, receiver", "https://[2001:db8::1]/token, [2001:db8::1]",
            "http://127.0.0.1:41234/token, 127.0.0.1" })
    void theSiteOfATokenUrlIsItsRegistrableDomainOrElseItsHost(String tokenUrl, String site) {
        assertEquals(site, TokenUrlPolicy.siteOf(tokenUrl));
    }

    @ParameterizedTest
    @CsvSource({ "not a url", "https:///token", "mailto:a@b.example" })
    void aUrlWithoutAHostHasNoSite(String url) {
        assertEquals(null, TokenUrlPolicy.siteOf(url));
    }
}
