package io.keyhook.dispatcher.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.common.crypto.SecretCipher;
import io.smallrye.mutiny.Uni;

/**
 * The hot path decrypts nothing: a webhook's own keys are decrypted once per key id and ciphertext, again only when the
 * ciphertext changes, and leave memory when they stop signing.
 */
class OwnSigningKeysTest {

    /** The real local cipher, counting decryptions. */
    static final class CountingCipher implements SecretCipher {
        final LocalKeyFileCipher real;
        final AtomicInteger decrypts = new AtomicInteger();

        CountingCipher(Path file) {
            real = new LocalKeyFileCipher(file);
        }

        public Uni<String> encrypt(String env, byte[] plaintext) {
            return real.encrypt(env, plaintext);
        }

        public Uni<byte[]> decrypt(String env, String ciphertext) {
            decrypts.incrementAndGet();
            return real.decrypt(env, ciphertext);
        }

        public Uni<String> rewrap(String env, String ciphertext) {
            return real.rewrap(env, ciphertext);
        }

        public Uni<Integer> currentKeyVersion() {
            return real.currentKeyVersion();
        }

        public Uni<Integer> rotate() {
            return real.rotate();
        }

        public String ciphertextPrefix() {
            return real.ciphertextPrefix();
        }
    }

    private static WebhookState webhook(long version, WebhookState.SigningKey... keys) {
        return new WebhookState(1, "wh_Own1", "env-1", "https://receiver.example/h", List.of("patients.updated"), false,
                new WebhookState.Security("standard-webhooks", List.of(), null, "v1a", List.of(keys)), version,
                Instant.EPOCH, Instant.EPOCH);
    }

    private static WebhookState.SigningKey key(String id, String status, String ciphertext) {
        return new WebhookState.SigningKey(id, "ed25519", status, "whpk_x", ciphertext, 1, Instant.EPOCH, null);
    }

    @Test
    void keysAreDecryptedOnceAndForgottenWhenTheyStopSigning() throws Exception {
        Path dir = Files.createTempDirectory("own-keys");
        CountingCipher cipher = new CountingCipher(dir.resolve("keys"));
        WebhookView view = new WebhookView();
        OwnSigningKeys keys = new OwnSigningKeys(cipher, view);
        keys.follow();
        String a = cipher.real.encryptNow("env-1",
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
        String b = cipher.real.encryptNow("env-1",
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());

        WebhookState v1 = webhook(1, key("whk_A", "active", a), key("whk_B", "active", b));
        view.put("wh_Own1", v1);
        for (int i = 0; i < 100; i++) {
            assertEquals(2, keys.active(v1).await().atMost(Duration.ofSeconds(5)).size());
        }
        assertEquals(2, cipher.decrypts.get(), "one decryption per key, then none");

        // A is retired: it signs no more and leaves memory
        WebhookState v2 = webhook(2, key("whk_A", "retired", a), key("whk_B", "active", b));
        view.put("wh_Own1", v2);
        assertEquals(List.of("whk_B"), keys.active(v2).await().atMost(Duration.ofSeconds(5)).stream()
                .map(OwnSigningKeys.Decoded::id).toList());
        assertEquals(1, keys.held());
        assertEquals(2, cipher.decrypts.get());

        // B re-encrypted (as a rewrap does): its new ciphertext is decrypted once
        String b2 = cipher.real.encryptNow("env-1", cipher.real.decrypt("env-1", b).await().indefinitely());
        WebhookState v3 = webhook(3, key("whk_A", "retired", a), key("whk_B", "active", b2));
        view.put("wh_Own1", v3);
        keys.active(v3).await().atMost(Duration.ofSeconds(5));
        keys.active(v3).await().atMost(Duration.ofSeconds(5));
        assertEquals(3, cipher.decrypts.get());

        // the webhook deleted: nothing held
        view.remove("wh_Own1");
        assertEquals(0, keys.held());
    }

    @Test
    void aKeyThatDoesNotDecryptOrIsNotAKeyFailsAndIsNotCached() throws Exception {
        Path dir = Files.createTempDirectory("own-keys");
        CountingCipher cipher = new CountingCipher(dir.resolve("keys"));
        OwnSigningKeys keys = new OwnSigningKeys(cipher, new WebhookView());
        String otherEnv = cipher.real.encryptNow("env-2", new byte[48]);
        String notASecret = cipher.real.encryptNow("env-1", "hello".getBytes(StandardCharsets.UTF_8));
        assertThrows(Exception.class,
                () -> keys.active(webhook(1, key("whk_X", "active", otherEnv))).await().atMost(Duration.ofSeconds(5)));
        WebhookState hmac = new WebhookState(1, "wh_Own2", "env-1", "https://receiver.example/h", List.of(), false,
                new WebhookState.Security("standard-webhooks", List.of(), null, null,
                        List.of(new WebhookState.SigningKey("whk_S", "hmac", "active", null, notASecret, 1,
                                Instant.EPOCH, null))),
                1, Instant.EPOCH, Instant.EPOCH);
        assertThrows(IllegalStateException.class, () -> keys.active(hmac).await().atMost(Duration.ofSeconds(5)));
        assertThrows(IllegalStateException.class,
                () -> keys.active(webhook(1, key("whk_R", "retired", otherEnv))).await().atMost(Duration.ofSeconds(5)),
                "no active key: nothing signs");
        assertEquals(0, keys.held());
    }
}
