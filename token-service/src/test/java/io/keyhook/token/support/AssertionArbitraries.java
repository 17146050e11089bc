package io.keyhook.token.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of RFC 7523 assertion headers and claims as JSON text: valid claims for a client with any of them
 * dropped or replaced by any JSON value, numbers from the edges of every range (issue 28, point 6).
 */
public final class AssertionArbitraries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AssertionArbitraries() {
    }

    /** A header: mostly a JSON object with some alg, sometimes any JSON value. */
    public static Arbitrary<String> headers() {
        Arbitrary<String> alg = Arbitraries.oneOf(Arbitraries.just("\"HS256\""), Arbitraries.just("\"none\""),
                Arbitraries.just("\"hs256\""), values(1));
        Arbitrary<String> object = Combinators.combine(alg, values(1), values(2))
                .as((a, typ, kid) -> "{\"alg\":" + a + ",\"typ\":" + typ + ",\"kid\":" + kid + "}");
        return Arbitraries.frequencyOf(Tuple.of(6, object), Tuple.of(1, values(2)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(20)));
    }

    /**
     * Claims: a valid set for the client, each of whose claims (and an nbf) is left alone, dropped, or replaced by any
     * JSON value; numbers come from the edges of every range.
     */
    public static Arbitrary<String> claims(String clientId) {
        String[] names = { "iss", "sub", "aud", "iat", "exp", "nbf", "jti", "extra" };
        List<Arbitrary<String>> each = new ArrayList<>();
        for (String name : names) {
            each.add(Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("=")), Tuple.of(1, Arbitraries.just("-")),
                    Tuple.of(3, values(3))));
        }
        return Combinators.combine(each).as(choices -> {
            long now = System.currentTimeMillis() / 1000;
            Map<String, String> valid = new LinkedHashMap<>();
            valid.put("iss", quote(clientId));
            valid.put("sub", quote(clientId));
            valid.put("aud", quote(Assertions.AUDIENCE));
            valid.put("iat", String.valueOf(now));
            valid.put("exp", String.valueOf(now + 60));
            valid.put("nbf", null);
            valid.put("jti", quote(UUID.randomUUID().toString()));
            valid.put("extra", null);
            StringBuilder b = new StringBuilder("{");
            for (int i = 0; i < names.length; i++) {
                String choice = choices.get(i);
                String value = "=".equals(choice) ? valid.get(names[i]) : "-".equals(choice) ? null : choice;
                if (value != null) {
                    b.append(b.length() > 1 ? "," : "").append(quote(names[i])).append(':').append(value);
                }
            }
            return b.append('}').toString();
        });
    }

    /** Any JSON value as text, nested up to {@code depth}. */
    public static Arbitrary<String> values(int depth) {
        List<Arbitrary<String>> leaves = List.of(numbers(), Arbitraries.strings().ofMaxLength(30).map(s -> quote(s)),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25).map(s -> quote(s)),
                Arbitraries.of("null", "true", "false", "\"\"", "\"\\u0000\"", "\"1e300\""));
        Arbitrary<String> leaf = Arbitraries.oneOf(leaves);
        if (depth <= 0) {
            return leaf;
        }
        Arbitrary<String> array = values(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(5), values(depth - 1))
                .as((k, v) -> "{" + quote(k) + ":" + v + "}");
        return Arbitraries.frequencyOf(Tuple.of(6, leaf), Tuple.of(1, array), Tuple.of(1, object));
    }

    /** Numbers at every edge: NumericDate range, long range, beyond long, doubles, overflowing exponents. */
    public static Arbitrary<String> numbers() {
        long now = System.currentTimeMillis() / 1000;
        return Arbitraries.oneOf(
                Arbitraries.of("1e300", "-1e300", "1e400", "-1e400", "1e-300", "-0", "0", "0.5", "-1",
                        "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                        "123456789012345678901234567890", "-123456789012345678901234567890", "31556889864403199",
                        "31556889864403200", "-31557014167219200", "253402300799", "253402300800", String.valueOf(now),
                        String.valueOf(now + 60) + ".75", String.valueOf(now - 3600)),
                Arbitraries.longs().map(String::valueOf), Arbitraries.doubles().map(String::valueOf),
                Arbitraries.longs().between(now - 600, now + 600).map(String::valueOf));
    }

    public static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
