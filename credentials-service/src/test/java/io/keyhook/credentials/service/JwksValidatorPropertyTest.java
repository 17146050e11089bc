package io.keyhook.credentials.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;

import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.TestJwks;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a client sends as {@code jwks} — random bytes (invalid UTF-8 included) that happen to parse, a real key with
 * one member replaced by a hostile value (NUL and control characters, huge strings, numbers, arrays, objects, null) —
 * the validator answers a checked JWKS or a 400 {@code jwks_*} problem, never another exception; and what it accepts
 * holds only public keys with plain, unique kids.
 */
class JwksValidatorPropertyTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<Map<String, Object>> GOOD = List.of(TestJwks.rsa("rsa", 2048), TestJwks.ec("p256", Curve.P_256),
            TestJwks.ec("p384", Curve.P_384), TestJwks.ed25519("ed"));
    static final List<String> MEMBERS = List.of("kty", "kid", "alg", "use", "crv", "n", "e", "x", "y", "d", "k",
            "key_ops", "oth", "x5c");

    @Property(tries = 1000)
    void randomBytesThatParseAreCheckedOrRefused(@ForAll("bytes") byte[] body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException unparsable) {
            return; // the HTTP layer answers 400 before the validator sees it
        }
        checkedOrRefused(tree);
    }

    @Property(tries = 1000)
    void aGoodKeyWithOneHostileMemberIsCheckedOrRefused(@ForAll("keyIndex") int index, @ForAll("member") String member,
            @ForAll("hostile") JsonNode value) {
        ObjectNode key = JSON.valueToTree(GOOD.get(index));
        key.set(member, value);
        ArrayNode keys = JsonNodeFactory.instance.arrayNode().add(key);
        checkedOrRefused(JsonNodeFactory.instance.objectNode().set("keys", keys));
    }

    @Property(tries = 300)
    void hostileShapesAroundTheKeysAreCheckedOrRefused(@ForAll("hostile") JsonNode keys,
            @ForAll("hostile") JsonNode extra) {
        ObjectNode jwks = JsonNodeFactory.instance.objectNode();
        jwks.set("keys", keys);
        jwks.set("extra", extra);
        checkedOrRefused(jwks);
        checkedOrRefused(keys);
    }

    private static void checkedOrRefused(JsonNode jwks) {
        JwksValidator.Validated v;
        try {
            v = JwksValidator.validate(jwks);
        } catch (ProblemException p) {
            assertEquals(400, p.status());
            assertTrue(p.code().startsWith("jwks_"), p.code());
            assertTrue(p.getMessage().chars().noneMatch(c -> c < 0x20), "control character in " + p.getMessage());
            return;
        }
        JsonNode stored;
        try {
            stored = JSON.readTree(v.json());
        } catch (IOException e) {
            throw new AssertionError("stored JSON does not parse: " + v.json(), e);
        }
        int n = stored.get("keys").size();
        assertTrue(n >= 1 && n <= JwksValidator.MAX_KEYS);
        assertEquals(n, v.keys().stream().map(JwksValidator.Key::kid).distinct().count());
        for (JsonNode key : stored.get("keys")) {
            for (String p : List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k")) {
                assertTrue(!key.has(p), "accepted a key with " + p + ": " + key);
            }
            assertTrue(key.get("kid").asText().matches(JwksValidator.KID_REGEX), key.toString());
            assertTrue(List.of("RSA", "EC", "OKP").contains(key.get("kty").asText()), key.toString());
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        // JSON-looking text with arbitrary bytes spliced in, so more of it parses
        Arbitrary<byte[]> spliced = Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(b -> {
            byte[] head = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"".getBytes();
            byte[] tail = "\",\"x\":\"AA\",\"y\":\"AA\"}]}".getBytes();
            byte[] all = new byte[head.length + b.length + tail.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(b, 0, all, head.length, b.length);
            System.arraycopy(tail, 0, all, head.length + b.length, tail.length);
            return all;
        });
        return Arbitraries.oneOf(raw, spliced);
    }

    @Provide
    Arbitrary<Integer> keyIndex() {
        return Arbitraries.integers().between(0, GOOD.size() - 1);
    }

    @Provide
    Arbitrary<String> member() {
        return Arbitraries.of(MEMBERS);
    }

    @Provide
    Arbitrary<JsonNode> hostile() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Arbitrary<JsonNode> strings = Arbitraries.strings().all().ofMaxLength(300).map(f::textNode);
        Arbitrary<JsonNode> controls = Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1)
                .ofMaxLength(5).map(s -> f.textNode("a" + s + "b"));
        Arbitrary<JsonNode> huge = Arbitraries.integers().between(3_000, 70_000).map(n -> f.textNode("A".repeat(n)));
        Arbitrary<JsonNode> numbers = Arbitraries.oneOf(Arbitraries.longs().map(f::numberNode),
                Arbitraries.doubles().map(f::numberNode),
                Arbitraries.just(f.numberNode(new java.math.BigInteger("9".repeat(500)))));
        Arbitrary<JsonNode> others = Arbitraries.of(f.nullNode(), f.booleanNode(true), f.arrayNode(), f.objectNode(),
                f.textNode(""), f.textNode("oct"), f.textNode("RS256"), f.textNode("sig"), f.textNode("P-256"),
                f.arrayNode().add("verify"), f.arrayNode().add(f.objectNode()));
        Arbitrary<JsonNode> arrays = Arbitraries.strings().ofMaxLength(10).list().ofMaxSize(12).map(l -> {
            ArrayNode a = f.arrayNode();
            new ArrayList<>(l).forEach(a::add);
            return a;
        });
        return Arbitraries.oneOf(strings, controls, huge, numbers, others, arrays);
    }
}
