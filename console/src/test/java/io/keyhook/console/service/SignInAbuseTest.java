package io.keyhook.console.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The console's own abuse limits (issue 14): unauthenticated {@code GET /sign-in/oidc} can no longer grow the pending
 * sign-ins without bound (they used to), and sign-in attempts are limited per visitor address without touching others.
 */
class SignInAbuseTest {

    @Test
    void pendingSignInsStayBoundedAndTheNewestStillWorks() {
        OidcLogins logins = new OidcLogins();
        Map.Entry<String, OidcLogins.Pending> first = logins.start();
        Map.Entry<String, OidcLogins.Pending> last = null;
        for (int i = 0; i < OidcLogins.MAX_PENDING + 500; i++) {
            last = logins.start();
        }
        assertTrue(logins.size() <= OidcLogins.MAX_PENDING, "pending sign-ins: " + logins.size());
        assertNotNull(logins.take(last.getKey()), "the newest sign-in survives a flood");
        assertTrue(logins.take(first.getKey()) == null, "the oldest was dropped");
    }

    @Test
    void signInAttemptsAreLimitedPerAddress() {
        SignInLimits limits = new SignInLimits(30);
        for (int i = 0; i < 30; i++) {
            assertTrue(limits.tryAcquire("198.51.100.7"), "attempt " + (i + 1));
        }
        assertFalse(limits.tryAcquire("198.51.100.7"), "past the limit");
        assertTrue(limits.tryAcquire("198.51.100.8"), "another visitor is not affected");
    }
}
