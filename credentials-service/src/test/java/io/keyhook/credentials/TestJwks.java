package io.keyhook.credentials;

import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;

/** Real public keys (and their private halves) as JWK members, for registering private_key_jwt clients. */
public final class TestJwks {

    private TestJwks() {
    }

    /** An RSA key pair's JWK with its private members (d, p, q, ...). */
    public static Map<String, Object> rsaPrivate(String kid, int bits) {
        try {
            RSAKey k = new RSAKeyGenerator(bits, true).keyID(kid).generate();
            return new LinkedHashMap<>(k.toJSONObject());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> rsa(String kid, int bits) {
        return publicOnly(rsaPrivate(kid, bits));
    }

    public static Map<String, Object> ecPrivate(String kid, Curve curve) {
        try {
            ECKey k = new ECKeyGenerator(curve).keyID(kid).generate();
            return new LinkedHashMap<>(k.toJSONObject());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> ec(String kid, Curve curve) {
        return publicOnly(ecPrivate(kid, curve));
    }

    /** An Ed25519 public key from the JDK (Nimbus needs Tink to generate one). */
    public static Map<String, Object> ed25519(String kid) {
        try {
            byte[] spki = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("kty", "OKP");
            k.put("crv", "Ed25519");
            k.put("kid", kid);
            k.put("x", Base64URL.encode(raw).toString());
            return k;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWK with a member set or replaced. */
    public static Map<String, Object> with(Map<String, Object> key, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(key);
        copy.put(name, value);
        return copy;
    }

    public static Map<String, Object> jwks(Object... keys) {
        return Map.of("keys", List.of(keys));
    }

    private static Map<String, Object> publicOnly(Map<String, Object> key) {
        Map<String, Object> pub = new LinkedHashMap<>(key);
        for (String p : List.of("d", "p", "q", "dp", "dq", "qi", "oth")) {
            pub.remove(p);
        }
        return pub;
    }
}
