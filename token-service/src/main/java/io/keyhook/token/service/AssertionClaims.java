package io.keyhook.token.service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.core.text.SafeText;

/**
 * The unsigned part of an RFC 7523 assertion, read and checked before any key is touched: compact JWS shape, HS256,
 * {@code iss}/{@code sub} a client id, {@code aud} this endpoint, {@code exp} required and short, {@code nbf} and
 * {@code iat} not in the future, a {@code jti} that can be stored. Whatever the header and claims hold — a number past
 * every range, a string where a number belongs, nested objects — the answer is a value or {@code invalid_grant}
 * (section 3.1), never another exception.
 */
record AssertionClaims(String clientId, String jti, Instant expiresAt, byte[] signingInput, byte[] signature) {

    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
    static final int MAX_ASSERTION = 8192;
    static final int MAX_JTI = 256;
    /**
     * The latest NumericDate accepted, 9999-12-31T23:59:59Z: far past any real claim, and every {@link Instant} sum
     * made with it stays in range.
     */
    static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    static AssertionClaims parse(String assertion, ObjectMapper json, String audience, Instant now, Duration skew,
            Duration maxLifetime) {
        if (assertion == null || assertion.isEmpty()) {
            throw OAuthException.badRequest(OAuthException.INVALID_REQUEST, "assertion is required");
        }
        if (assertion.length() > MAX_ASSERTION) {
            throw invalid("the assertion is too long");
        }
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid("the assertion is not a signed JWT (header.payload.signature)");
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            header = json.readTree(B64URL.decode(parts[0]));
            claims = json.readTree(B64URL.decode(parts[1]));
            signature = B64URL.decode(parts[2]);
        } catch (Exception e) {
            throw invalid("the assertion is not base64url-encoded JSON");
        }
        if (header == null || claims == null || !header.isObject() || !claims.isObject()) {
            throw invalid("the assertion's header and claims must be JSON objects");
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !"HS256".equals(alg.asText())) {
            throw invalid("the assertion must be signed with HS256");
        }
        String iss = text(claims, "iss");
        if (iss == null) {
            throw invalid("the assertion has no iss");
        }
        if (!ClientIds.wellFormed(iss)) {
            throw invalid("the assertion's iss is not a client id");
        }
        String sub = text(claims, "sub");
        if (sub != null && !sub.equals(iss)) {
            throw invalid("the assertion's sub must equal its iss (the client id)");
        }
        if (!audience(claims).contains(audience)) {
            throw invalid("the assertion's aud must be " + audience);
        }
        if (claims.get("exp") == null) {
            throw invalid("the assertion has no exp");
        }
        Instant exp = numericDate(claims, "exp");
        if (exp.isBefore(now.minus(skew))) {
            throw invalid("the assertion has expired");
        }
        if (exp.isAfter(now.plus(maxLifetime).plus(skew))) {
            throw invalid("the assertion lives too long: exp at most " + maxLifetime.toSeconds() + " s ahead");
        }
        if (claims.has("nbf") && numericDate(claims, "nbf").isAfter(now.plus(skew))) {
            throw invalid("the assertion is not valid yet (nbf)");
        }
        if (claims.has("iat") && numericDate(claims, "iat").isAfter(now.plus(skew))) {
            throw invalid("the assertion was issued in the future (iat)");
        }
        String jti = text(claims, "jti");
        if (jti == null || jti.length() > MAX_JTI) {
            throw invalid("the assertion needs a jti of at most " + MAX_JTI + " characters");
        }
        // the replay table stores it: PostgreSQL refuses a NUL, and a lone surrogate has no UTF-8 form
        if (SafeText.problem(jti, MAX_JTI) != null) {
            throw invalid("the assertion's jti " + SafeText.problem(jti, MAX_JTI));
        }
        return new AssertionClaims(iss, jti, exp.plus(skew),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature);
    }

    /**
     * RFC 7519 section 2: a NumericDate is a JSON number of seconds since 1970, possibly with a fraction. Anything
     * else, or one outside 1970 to 9999 (1e300, a 30-digit integer, a negative), is {@code invalid_grant}.
     */
    static Instant numericDate(JsonNode claims, String name) {
        JsonNode n = claims.get(name);
        double seconds = n != null && n.isNumber() ? n.asDouble() : Double.NaN;
        // also false for NaN and the infinities that 1e400 or a huge integer turn into
        if (!(seconds >= 0 && seconds <= MAX_NUMERIC_DATE)) {
            throw invalid("the assertion's " + name + " must be a NumericDate: seconds since 1970 as a JSON number, "
                    + "at most " + MAX_NUMERIC_DATE);
        }
        long whole = (long) seconds;
        return Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1_000_000_000L));
    }

    private static List<String> audience(JsonNode claims) {
        JsonNode aud = claims.get("aud");
        List<String> out = new ArrayList<>();
        if (aud != null && aud.isTextual()) {
            out.add(aud.asText());
        } else if (aud != null && aud.isArray()) {
            aud.forEach(a -> out.add(a.asText()));
        }
        return out;
    }

    private static String text(JsonNode claims, String name) {
        JsonNode n = claims.get(name);
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    static OAuthException invalid(String description) {
        return OAuthException.badRequest(OAuthException.INVALID_GRANT, description);
    }
}
