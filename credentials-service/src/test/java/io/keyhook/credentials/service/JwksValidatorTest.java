package io.keyhook.credentials.service;

import static io.keyhook.credentials.TestJwks.ec;
import static io.keyhook.credentials.TestJwks.ecPrivate;
import static io.keyhook.credentials.TestJwks.ed25519;
import static io.keyhook.credentials.TestJwks.rsa;
import static io.keyhook.credentials.TestJwks.rsaPrivate;
import static io.keyhook.credentials.TestJwks.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64URL;

import io.keyhook.core.error.ProblemException;

/** The checks a registered JWKS must pass, each refusal with its code and the key it names. */
class JwksValidatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Object> RSA_2048 = rsa("rsa-1", 2048);
    static final Map<String, Object> RSA_PRIVATE = rsaPrivate("rsa-p", 2048);
    static final Map<String, Object> P256 = ec("ec-1", Curve.P_256);

    static JsonNode tree(Object o) {
        return JSON.valueToTree(o);
    }

    static JsonNode jwks(Object... keys) {
        return tree(Map.of("keys", List.of(keys)));
    }

    static ProblemException refused(JsonNode jwks, String code) {
        ProblemException p = assertThrows(ProblemException.class, () -> JwksValidator.validate(jwks));
        assertEquals(400, p.status(), p.getMessage());
        assertEquals(code, p.code(), p.getMessage());
        return p;
    }

    @Test
    void everyAcceptedKindOfKeyPassesAndIsListed() throws Exception {
        JsonNode in = tree(Map.of("keys",
                List.of(with(RSA_2048, "alg", "RS384"), with(with(P256, "alg", "ES256"), "use", "sig"),
                        with(ec("ec-384", Curve.P_384), "alg", "ES384"), ec("ec-521", Curve.P_521),
                        with(ed25519("ed-1"), "alg", "EdDSA")),
                "other", "dropped"));
        var v = JwksValidator.validate(in);
        assertEquals(List.of(new JwksValidator.Key("rsa-1", "RSA", "RS384", null),
                new JwksValidator.Key("ec-1", "EC", "ES256", "P-256"),
                new JwksValidator.Key("ec-384", "EC", "ES384", "P-384"),
                new JwksValidator.Key("ec-521", "EC", null, "P-521"),
                new JwksValidator.Key("ed-1", "OKP", "EdDSA", "Ed25519")), v.keys());
        JsonNode stored = JSON.readTree(v.json());
        assertEquals(List.of("keys"), iterable(stored.fieldNames()));
        assertEquals(in.get("keys"), stored.get("keys"));
    }

    @Test
    void theShapeMustBeAnObjectWithOneToTenKeys() {
        refused(tree(List.of(RSA_2048)), "jwks_invalid");
        refused(tree("keys"), "jwks_invalid");
        refused(tree(Map.of("key", List.of(RSA_2048))), "jwks_invalid");
        refused(tree(Map.of("keys", RSA_2048)), "jwks_invalid");
        refused(jwks(), "jwks_key_count");
        List<Object> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(with(P256, "kid", "k" + i));
        }
        refused(jwks(eleven.toArray()), "jwks_key_count");
        refused(jwks("not a key"), "jwks_key_invalid");
    }

    @Test
    void aJwksLargerThanTheCapIsRefusedBeforeAnyKeyIsParsed() {
        refused(jwks(with(RSA_2048, "x5c", List.of("A".repeat(JwksValidator.MAX_JWKS_BYTES)))), "jwks_too_large");
    }

    @Test
    void symmetricAndUnknownKeyTypesAreRefused() {
        var p = refused(jwks(Map.of("kty", "oct", "kid", "hmac", "k", "c2VjcmV0")), "jwks_private_key");
        assertTrue(p.getMessage().contains("'k'"), p.getMessage());
        p = refused(jwks(Map.of("kty", "oct", "kid", "hmac")), "jwks_key_type");
        assertTrue(p.getMessage().contains("symmetric"), p.getMessage());
        refused(jwks(with(RSA_2048, "kty", "DSA")), "jwks_key_type");
        refused(jwks(with(RSA_2048, "kty", null)), "jwks_key_invalid");
    }

    @Test
    void anyPrivateMemberIsRefusedNamingIt() {
        for (String member : List.of("d", "p", "q", "dp", "dq", "qi")) {
            Map<String, Object> leaky = with(RSA_2048, member, RSA_PRIVATE.get(member));
            var p = refused(jwks(P256, leaky), "jwks_private_key");
            assertTrue(
                    p.getMessage().startsWith("key 1 (kid 'rsa-1'): ") && p.getMessage().contains("'" + member + "'"),
                    p.getMessage());
            assertEquals(1, p.extensions().get("keyIndex"));
            assertEquals("rsa-1", p.extensions().get("kid"));
        }
        refused(jwks(with(RSA_2048, "oth", List.of())), "jwks_private_key");
        refused(jwks(ecPrivate("ec-p", Curve.P_256)), "jwks_private_key");
    }

    @Test
    void kidsMustBePresentPlainAndUnique() {
        Map<String, Object> noKid = new java.util.LinkedHashMap<>(P256);
        noKid.remove("kid");
        refused(jwks(noKid), "jwks_kid_invalid");
        for (String bad : List.of("", "a b", "nul\u0000", "tab\t", "line\nbreak", "quote\"", "back\\slash", "é",
                "k".repeat(129), "\u202Ertl")) {
            refused(jwks(with(P256, "kid", bad)), "jwks_kid_invalid");
        }
        refused(jwks(with(P256, "kid", 7)), "jwks_key_invalid");
        var p = refused(jwks(P256, with(RSA_2048, "kid", "ec-1")), "jwks_kid_duplicate");
        assertEquals("ec-1", p.extensions().get("kid"));
        JwksValidator.validate(jwks(with(P256, "kid", "k".repeat(128))));
    }

    @Test
    void weakRsaKeysAreRefused() {
        var p = refused(jwks(rsa("small", 1024)), "jwks_key_too_weak");
        assertTrue(p.getMessage().contains("1024 bits"), p.getMessage());
        Map<String, Object> evenExponent = with(RSA_2048, "e", Base64URL.encode(new byte[] { 2 }).toString());
        refused(jwks(evenExponent), "jwks_key_invalid");
    }

    @Test
    void curvesOutsideTheListAreRefused() {
        refused(jwks(with(P256, "crv", "secp256k1")), "jwks_key_curve");
        refused(jwks(with(P256, "crv", null)), "jwks_key_invalid");
        refused(jwks(with(ed25519("x"), "crv", "X25519")), "jwks_key_curve");
        refused(jwks(with(ed25519("x"), "crv", "Ed448")), "jwks_key_curve");
        refused(jwks(with(ed25519("short"), "x", Base64URL.encode(new byte[31]).toString())), "jwks_key_invalid");
    }

    @Test
    void aPointOffTheCurveIsRefused() {
        byte[] y = Base64URL.from((String) P256.get("y")).decode();
        y[y.length - 1] ^= 1;
        refused(jwks(with(P256, "y", Base64URL.encode(y).toString())), "jwks_key_invalid");
        refused(jwks(with(P256, "y", "not base64url!")), "jwks_key_invalid");
    }

    @Test
    void algAndUseMustBeAcceptedAndFitTheKey() {
        for (String alg : List.of("HS256", "none", "RS512", "ES512", "PS256", "")) {
            refused(jwks(with(RSA_2048, "alg", alg)), "jwks_key_alg");
        }
        refused(jwks(with(RSA_2048, "alg", "ES256")), "jwks_key_alg");
        refused(jwks(with(P256, "alg", "ES384")), "jwks_key_alg");
        refused(jwks(with(P256, "alg", "EdDSA")), "jwks_key_alg");
        refused(jwks(with(ed25519("ed"), "alg", "RS256")), "jwks_key_alg");
        refused(jwks(with(P256, "use", "enc")), "jwks_key_use");
        refused(jwks(with(P256, "key_ops", List.of("sign"))), "jwks_key_use");
        JwksValidator.validate(jwks(with(P256, "key_ops", List.of("verify"))));
    }

    @Test
    void aKidThatIsNotSafeIsNeverEchoed() {
        var p = refused(jwks(with(with(P256, "kid", "evil\u0000kid"), "alg", "HS256")), "jwks_kid_invalid");
        assertFalse(p.getMessage().contains("evil"), p.getMessage());
        assertFalse(p.extensions().containsKey("kid"));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> all = new ArrayList<>();
        it.forEachRemaining(all::add);
        return all;
    }
}
