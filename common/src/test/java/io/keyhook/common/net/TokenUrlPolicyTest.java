package io.keyhook.common.net;

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
}
