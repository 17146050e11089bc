package io.keyhook.token.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * One Ed25519 signing key (JWS {@code EdDSA}). BouncyCastle's Ed25519 signs about 15x faster than JDK 17's, which is
 * what makes the token endpoint fast (docs/benchmarks.md). {@code retireAt} null = still signing.
 */
public record SigningKey(String kid, Ed25519PrivateKeyParameters privateKey, byte[] publicKey, Instant activateAt,
        Instant retireAt, Instant expiresAt, String encodedHeader) {

    public static final String ALGORITHM = "EdDSA";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    public static SigningKey of(String kid, byte[] privateKey, Instant activateAt, Instant retireAt,
            Instant expiresAt) {
        var priv = new Ed25519PrivateKeyParameters(privateKey, 0);
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}";
        return new SigningKey(kid, priv, priv.generatePublicKey().getEncoded(), activateAt, retireAt, expiresAt,
                B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether this key may sign at {@code now}. */
    public boolean signsAt(Instant now) {
        return !activateAt.isAfter(now) && (retireAt == null || retireAt.isAfter(now));
    }

    /** Whether this key is published at {@code now} (it may still verify tokens). */
    public boolean publishedAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    /** {@code header.payload.signature} for an already-encoded payload. */
    public String sign(String encodedPayload) {
        byte[] input = (encodedHeader + "." + encodedPayload).getBytes(StandardCharsets.US_ASCII);
        // Ed25519Signer keeps a buffer: one per call is cheaper than contention on a shared one
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(input, 0, input.length);
        return encodedHeader + "." + encodedPayload + "." + B64URL.encodeToString(signer.generateSignature());
    }

    /** Checks a signature made by this key. */
    public boolean verify(byte[] signingInput, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        verifier.update(signingInput, 0, signingInput.length);
        return verifier.verifySignature(signature);
    }

    /** The public JWK (RFC 8037). */
    public String publicJwk() {
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"use\":\"sig\",\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\",\"x\":\""
                + B64URL.encodeToString(publicKey) + "\"}";
    }
}
