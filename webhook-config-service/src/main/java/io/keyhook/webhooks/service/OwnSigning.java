package io.keyhook.webhooks.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.SecurityMethods;
import io.keyhook.webhooks.api.SecurityBody;
import io.smallrye.mutiny.Uni;

/**
 * A webhook's own signing material (issue 30): Ed25519 key pairs ({@code v1a}) or {@code whsec_} secrets ({@code v1}),
 * which no API client holds. Made before any transaction opens (encryption may be a Vault call); the private key or
 * secret leaves this class only as {@link SecretCipher} ciphertext bound to the Environment, and a secret's value once,
 * for the answer that created it.
 */
@ApplicationScoped
public class OwnSigning {

    /** The Standard Webhooks public-key prefix, as the reference Go library reads it. */
    public static final String PUBLIC_KEY_PREFIX = "whpk_";
    /** At most this many active keys per webhook (as for client secrets: a rotation needs two). */
    static final int MAX_ACTIVE = 3;
    /** Retired keys kept listed (the newest); older ones are dropped. */
    static final int MAX_RETIRED = 5;
    /** The X.509 SubjectPublicKeyInfo of an Ed25519 key is this fixed prefix, then the raw 32-byte key. */
    private static final int SPKI_PREFIX = 12;

    /** A key just made; {@code secret} is the {@code whsec_} value of an HMAC secret (null for Ed25519). */
    public record NewKey(WebhookState.SigningKey key, String secret) {
    }

    private final SecretCipher cipher;

    @Inject
    OwnSigning(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * Which own material {@code s} asks for: {@link WebhookState.SigningKey#ED25519} ({@code v1a}),
     * {@link WebhookState.SigningKey#HMAC} ({@code signingSecret: generated}) or null (client secrets). 400 with a
     * stable code for a combination that cannot work; 422 {@code validation_failed} when client secrets are needed and
     * none is listed (as before).
     */
    public static String kindOf(SecurityBody s) {
        boolean v1a = WebhookState.Security.V1A.equals(s.signatureScheme());
        boolean generated = s.signingSecret() != null;
        boolean secrets = s.secretIds() != null && !s.secretIds().isEmpty();
        if ((s.signatureScheme() != null || generated) && !SecurityMethods.STANDARD_WEBHOOKS.equals(s.method())) {
            throw field(400, "signature_scheme_not_applicable", "security.signatureScheme",
                    "signatureScheme and signingSecret apply to standard-webhooks only");
        }
        if (v1a && generated) {
            throw field(400, "v1a_excludes_signing_secret", "security.signingSecret",
                    "v1a signs with an Ed25519 key pair of the webhook's own; a signingSecret is for v1");
        }
        if ((v1a || generated) && secrets) {
            throw field(400, "own_signing_excludes_secret_ids", "security.secretIds",
                    "a webhook that signs with keys of its own uses no API client secret: leave secretIds out");
        }
        if (v1a) {
            return WebhookState.SigningKey.ED25519;
        }
        if (generated) {
            return WebhookState.SigningKey.HMAC;
        }
        if (!secrets) {
            throw new ProblemException(422, "validation_failed", "Invalid request",
                    "The request has invalid fields: security.secretIds",
                    List.of(new Problem.FieldError("security.secretIds", "must not be empty")), null);
        }
        return null;
    }

    /** A new active key of {@code kind} for a webhook of Environment {@code env}. */
    public Uni<NewKey> generate(String env, String kind) {
        String id = SecretGenerator.newId("whk_");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (WebhookState.SigningKey.HMAC.equals(kind)) {
            String secret = SecretGenerator.newSecret();
            return cipher.encrypt(env, secret.getBytes(StandardCharsets.UTF_8))
                    .map(c -> new NewKey(key(id, kind, null, c, now), secret));
        }
        KeyPair pair = ed25519();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        String publicKey = PUBLIC_KEY_PREFIX + Base64.getEncoder().encodeToString(raw(pair.getPublic().getEncoded()));
        Uni<String> sealed = cipher.encrypt(env, pkcs8).eventually(() -> Arrays.fill(pkcs8, (byte) 0));
        return sealed.map(c -> new NewKey(key(id, kind, publicKey, c, now), null));
    }

    /** The raw 32 bytes of a {@code whpk_} public key. */
    public static byte[] rawPublicKey(String whpk) {
        return Base64.getDecoder().decode(whpk.substring(PUBLIC_KEY_PREFIX.length()));
    }

    private static WebhookState.SigningKey key(String id, String kind, String publicKey, String ciphertext,
            Instant now) {
        return new WebhookState.SigningKey(id, kind, WebhookState.SigningKey.ACTIVE, publicKey, ciphertext,
                SecretCipher.keyVersionOf(ciphertext), now, null);
    }

    private static byte[] raw(byte[] spki) {
        return Arrays.copyOfRange(spki, SPKI_PREFIX, spki.length);
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    private static ProblemException field(int status, String code, String field, String message) {
        return new ProblemException(status, code, "Bad request", message,
                List.of(new Problem.FieldError(field, message)), null);
    }
}
