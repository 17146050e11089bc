package io.keyhook.credentials.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.core.error.ProblemException;
import io.keyhook.core.net.Cidr;
import io.keyhook.core.net.DestinationPolicy;

/**
 * The settings that let the local suite point webhooks at loopback ({@code keyhook.webhooks.destinations.allow-http}
 * and {@code allowed-cidrs}) apply to a private_key_jwt client's jwksUri the same way; nothing outside the allowed
 * ranges gets in. ({@code PrivateKeyJwtClientTest} shows the same URLs refused without them, through the API.) A unit
 * test: a Quarkus profile of its own restarted the whole test application once more in the module's one JVM.
 */
class JwksUriAllowedRangesTest {

    private final JwksUriCheck check = new JwksUriCheck(new DestinationPolicy(true,
            List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")), DestinationPolicy.SYSTEM));

    private String code(String uri) {
        return assertThrows(ProblemException.class, () -> check.check(uri).await().atMost(Duration.ofSeconds(10)))
                .code();
    }

    @Test
    void loopbackIsAcceptedOnlyAsTheAllowSettingsSay() {
        for (String uri : new String[] { "http://127.0.0.1:8099/jwks.json", "https://localhost:8443/jwks",
                "http://[::1]:8099/jwks" }) {
            assertEquals(uri, check.check(uri).await().atMost(Duration.ofSeconds(10)));
        }
        assertEquals("jwks_uri_not_public", code("https://10.0.0.5/jwks"));
        assertEquals("jwks_uri_not_public", code("https://169.254.169.254/latest"));
        assertEquals("jwks_uri_scheme", code("ftp://127.0.0.1/jwks"));
    }
}
