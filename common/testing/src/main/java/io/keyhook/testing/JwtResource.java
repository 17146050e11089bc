package io.keyhook.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Makes the service trust {@link TestTokens}. The accepted algorithms are left to common's
 * {@code mp.jwt.verify.publickey.algorithm}, as in production, so tests see what a service accepts.
 */
public class JwtResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("mp.jwt.verify.publickey.location", TestTokens.jwksFile().toUri().toString(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER, "mp.jwt.verify.audiences", "keyhook-admin");
    }

    @Override
    public void stop() {
        // nothing to release
    }
}
