package io.keyhook.core.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretVerifierTest {

    private final SecretVerifier verifier = new SecretVerifier(SecretGenerator.randomBytes(32));

    @Test
    void matchesOnlyTheSecretItWasMadeFrom() {
        String secret = SecretGenerator.newSecret();
        String stored = verifier.verifierOf(secret);
        assertTrue(verifier.matches(secret, stored));
        assertFalse(verifier.matches(secret + "x", stored));
        assertFalse(verifier.matches(SecretGenerator.newSecret(), stored));
        assertFalse(verifier.matches(secret, "h1:not-base64!"));
        assertFalse(stored.contains(secret.substring(6)), "the verifier must not contain the secret");
    }

    @Test
    void aDifferentPepperGivesADifferentVerifier() {
        String secret = SecretGenerator.newSecret();
        SecretVerifier other = new SecretVerifier(SecretGenerator.randomBytes(32));
        assertNotEquals(verifier.verifierOf(secret), other.verifierOf(secret));
        assertFalse(other.matches(secret, verifier.verifierOf(secret)));
    }

    @Test
    void shortPeppersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SecretVerifier(new byte[16]));
    }
}
