package io.keyhook.dispatcher.view;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.crypto.SecretCipher;
import io.smallrye.mutiny.Uni;

/**
 * The decoded signing keys of webhooks that sign with material of their own (issue 30), from the ciphertexts the
 * webhook's {@code keyhook.webhooks} record carries: decrypted through the {@link SecretCipher} when first needed and
 * kept in memory by key id and ciphertext, so the hot path decrypts nothing; a key that is retired, re-encrypted or
 * removed is forgotten with the webhook's next state.
 */
@ApplicationScoped
public class OwnSigningKeys {

    /** A key ready to sign: an Ed25519 private key ({@code v1a}) or the HMAC key of a {@code whsec_} secret. */
    public record Decoded(String id, String kind, Ed25519PrivateKeyParameters ed25519, byte[] hmacKey) {
    }

    private record Cached(String ciphertext, Decoded key) {
    }

    /** An Ed25519 PKCS#8 DER private key ends with its 32-byte seed. */
    private static final int SEED = 32;
    private static final String SECRET_PREFIX = "whsec_";

    private final SecretCipher cipher;
    private final WebhookView webhooks;
    private final ConcurrentHashMap<String, Cached> keys = new ConcurrentHashMap<>();

    @Inject
    public OwnSigningKeys(SecretCipher cipher, WebhookView webhooks) {
        this.cipher = cipher;
        this.webhooks = webhooks;
    }

    @PostConstruct
    void follow() {
        webhooks.onChanged(this::forgetUnused);
    }

    /** The webhook's active keys, in its order; fails when it has none or one does not decrypt. */
    public Uni<List<Decoded>> active(WebhookState w) {
        List<WebhookState.SigningKey> active = activeKeys(w);
        if (active.isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("no active signing key"));
        }
        if (active.size() == 1) {
            return decoded(w.environment(), active.get(0)).map(List::of);
        }
        return Uni.join().all(active.stream().map(k -> decoded(w.environment(), k)).toList()).andFailFast();
    }

    private Uni<Decoded> decoded(String environment, WebhookState.SigningKey k) {
        Cached c = keys.get(k.id());
        if (c != null && c.ciphertext().equals(k.ciphertext())) {
            return Uni.createFrom().item(c.key());
        }
        return cipher.decrypt(environment, k.ciphertext()).map(plain -> decode(k, plain))
                .invoke(d -> keys.put(k.id(), new Cached(k.ciphertext(), d)));
    }

    public static Decoded decode(WebhookState.SigningKey k, byte[] plain) {
        try {
            if (WebhookState.SigningKey.ED25519.equals(k.kind())) {
                if (plain.length < SEED) {
                    throw new IllegalStateException("signing key " + k.id() + " is not an Ed25519 private key");
                }
                return new Decoded(k.id(), k.kind(),
                        new Ed25519PrivateKeyParameters(Arrays.copyOfRange(plain, plain.length - SEED, plain.length)),
                        null);
            }
            if (WebhookState.SigningKey.HMAC.equals(k.kind())) {
                String secret = new String(plain, StandardCharsets.UTF_8);
                if (!secret.startsWith(SECRET_PREFIX)) {
                    throw new IllegalStateException("signing key " + k.id() + " is not a whsec_ secret");
                }
                return new Decoded(k.id(), k.kind(), null,
                        java.util.Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())));
            }
            throw new IllegalStateException("signing key " + k.id() + " has an unknown kind");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    static List<WebhookState.SigningKey> activeKeys(WebhookState w) {
        List<WebhookState.SigningKey> all = w.security() == null ? null : w.security().signingKeys();
        return all == null ? List.of()
                : all.stream().filter(k -> WebhookState.SigningKey.ACTIVE.equals(k.status())).toList();
    }

    /** Keys the webhook no longer signs with (retired, removed, the webhook deleted) leave memory. */
    private void forgetUnused(WebhookState before, WebhookState after) {
        Set<String> still = after == null ? Set.of()
                : activeKeys(after).stream().map(WebhookState.SigningKey::id).collect(Collectors.toSet());
        if (before.security() != null && before.security().signingKeys() != null) {
            before.security().signingKeys().stream().map(WebhookState.SigningKey::id).filter(id -> !still.contains(id))
                    .forEach(keys::remove);
        }
    }

    /** How many decoded keys are held (tests). */
    int held() {
        return keys.size();
    }
}
