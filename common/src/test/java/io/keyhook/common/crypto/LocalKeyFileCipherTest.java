package io.keyhook.common.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeyFileCipherTest {

    @TempDir
    Path dir;

    @Test
    void keyFileIsCreatedPrivateOnFirstUse() throws Exception {
        Path file = dir.resolve("keys/cipher.keys");
        new LocalKeyFileCipher(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void roundTripsAndBindsCiphertextToItsEnvironment() {
        LocalKeyFileCipher cipher = new LocalKeyFileCipher(dir.resolve("k"));
        byte[] secret = "whsec_abc".getBytes(StandardCharsets.UTF_8);
        String ct = cipher.encryptNow("env-a", secret);
        assertTrue(ct.startsWith("khl:v1:"), ct);
        assertArrayEquals(secret, cipher.decryptNow("env-a", ct));
        assertThrows(IllegalStateException.class, () -> cipher.decryptNow("env-b", ct));
    }

    @Test
    void rotationKeepsOldCiphertextsReadableAndRewrapMovesThemForward() {
        Path file = dir.resolve("k");
        LocalKeyFileCipher cipher = new LocalKeyFileCipher(file);
        byte[] secret = "whsec_rotate".getBytes(StandardCharsets.UTF_8);
        String old = cipher.encryptNow("env", secret);
        assertEquals(2, cipher.rotateNow());
        assertArrayEquals(secret, cipher.decryptNow("env", old));
        String rewrapped = cipher.rewrapNow("env", old);
        assertEquals(2, SecretCipher.keyVersionOf(rewrapped));
        assertArrayEquals(secret, cipher.decryptNow("env", rewrapped));
        // another process reading the same file sees both versions
        assertArrayEquals(secret, new LocalKeyFileCipher(file).decryptNow("env", rewrapped));
        assertArrayEquals(secret, new LocalKeyFileCipher(file).decryptNow("env", old));
    }
}
