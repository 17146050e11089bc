package io.keyhook.token.service;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import io.keyhook.common.security.TokenSigningAlgorithm;

/**
 * The key pair behind one {@link SigningKey}, per algorithm: how it signs, verifies, is published (the JWK members
 * besides {@code kid}, {@code use} and {@code alg}) and is stored ({@code public_key} column; the private half goes
 * through the SecretCipher).
 */
sealed interface KeyMaterial {

    Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    TokenSigningAlgorithm algorithm();

    byte[] sign(byte[] input);

    boolean verify(byte[] input, byte[] signature);

    /** The JWK members that say what the key is: {@code "kty":...} and its public parameters. */
    String jwkMembers();

    /** The public key as stored in {@code signing_keys.public_key} (base64url). */
    String publicEncoded();

    /** The private key as it is encrypted for storage (the caller wipes it). */
    byte[] privateEncoded();

    /** A new key pair. */
    static KeyMaterial generate(TokenSigningAlgorithm algorithm, int rsaKeySize) {
        try {
            return switch (algorithm) {
            case EdDSA -> Ed25519Key.of(new Ed25519PrivateKeyParameters(new SecureRandom()).getEncoded());
            case ES256 -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair p = g.generateKeyPair();
                yield new JdkKey(algorithm, p.getPrivate(), p.getPublic());
            }
            case RS256 -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(rsaKeySize, RSAKeyGenParameterSpec.F4));
                KeyPair p = g.generateKeyPair();
                yield new JdkKey(algorithm, p.getPrivate(), p.getPublic());
            }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    /** A stored key pair: {@code privateEncoded} and {@code publicEncoded} as this interface produced them. */
    static KeyMaterial load(TokenSigningAlgorithm algorithm, byte[] privateEncoded, String publicEncoded) {
        if (algorithm == TokenSigningAlgorithm.EdDSA) {
            return Ed25519Key.of(privateEncoded);
        }
        try {
            KeyFactory f = KeyFactory.getInstance(algorithm == TokenSigningAlgorithm.ES256 ? "EC" : "RSA");
            return new JdkKey(algorithm, f.generatePrivate(new PKCS8EncodedKeySpec(privateEncoded)),
                    f.generatePublic(new X509EncodedKeySpec(Base64.getUrlDecoder().decode(publicEncoded))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored " + algorithm + " key is unreadable", e);
        }
    }

    /**
     * Ed25519 through BouncyCastle: about 15x faster than JDK 17's (docs/benchmarks.md), which is what makes the token
     * endpoint fast.
     */
    record Ed25519Key(Ed25519PrivateKeyParameters privateKey, Ed25519PublicKeyParameters publicKey)
            implements KeyMaterial {

        static Ed25519Key of(byte[] raw) {
            var priv = new Ed25519PrivateKeyParameters(raw, 0);
            return new Ed25519Key(priv, priv.generatePublicKey());
        }

        @Override
        public TokenSigningAlgorithm algorithm() {
            return TokenSigningAlgorithm.EdDSA;
        }

        @Override
        public byte[] sign(byte[] input) {
            // Ed25519Signer keeps a buffer: one per call is cheaper than contention on a shared one
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, privateKey);
            signer.update(input, 0, input.length);
            return signer.generateSignature();
        }

        @Override
        public boolean verify(byte[] input, byte[] signature) {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, publicKey);
            verifier.update(input, 0, input.length);
            return verifier.verifySignature(signature);
        }

        @Override
        public String jwkMembers() {
            return "\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + publicEncoded() + "\"";
        }

        @Override
        public String publicEncoded() {
            return B64URL.encodeToString(publicKey.getEncoded());
        }

        @Override
        public byte[] privateEncoded() {
            return privateKey.getEncoded();
        }
    }

    /** ES256 and RS256 through the JDK's providers. */
    record JdkKey(TokenSigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) implements KeyMaterial {

        /** JOSE wants ECDSA signatures as R||S (RFC 7518 3.4), which the P1363 form is; never DER. */
        private String jcaName() {
            return algorithm == TokenSigningAlgorithm.ES256 ? "SHA256withECDSAinP1363Format" : "SHA256withRSA";
        }

        @Override
        public byte[] sign(byte[] input) {
            try {
                Signature s = Signature.getInstance(jcaName());
                s.initSign(privateKey);
                s.update(input);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " signing failed", e);
            }
        }

        @Override
        public boolean verify(byte[] input, byte[] signature) {
            if (algorithm == TokenSigningAlgorithm.ES256 && signature.length != 64) {
                return false;
            }
            try {
                Signature s = Signature.getInstance(jcaName());
                s.initVerify(publicKey);
                s.update(input);
                return s.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        @Override
        public String jwkMembers() {
            if (publicKey instanceof ECPublicKey ec) {
                return "\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + unsigned(ec.getW().getAffineX(), 32)
                        + "\",\"y\":\"" + unsigned(ec.getW().getAffineY(), 32) + "\"";
            }
            RSAPublicKey rsa = (RSAPublicKey) publicKey;
            return "\"kty\":\"RSA\",\"n\":\"" + unsigned(rsa.getModulus(), (rsa.getModulus().bitLength() + 7) / 8)
                    + "\",\"e\":\"" + unsigned(rsa.getPublicExponent(), (rsa.getPublicExponent().bitLength() + 7) / 8)
                    + "\"";
        }

        @Override
        public String publicEncoded() {
            return B64URL.encodeToString(publicKey.getEncoded());
        }

        @Override
        public byte[] privateEncoded() {
            return privateKey.getEncoded();
        }

        /** RFC 7518: big-endian, unsigned, exactly {@code length} bytes (EC coordinates keep their leading zeros). */
        private static String unsigned(BigInteger value, int length) {
            byte[] b = value.toByteArray();
            byte[] out = new byte[length];
            int copy = Math.min(b.length, length);
            System.arraycopy(b, b.length - copy, out, length - copy, copy);
            String s = B64URL.encodeToString(out);
            Arrays.fill(out, (byte) 0);
            return s;
        }
    }
}
