package io.keyhook.token.service;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.keyhook.core.text.SafeText;
import io.keyhook.token.view.ClientKeys;

/**
 * A {@code client_assertion} (RFC 7523 section 2.2, SMART App Launch 2 Backend Services), read and checked before any
 * key is touched: a compact JWS whose header has an allowed {@code alg} ({@link ClientKeys#ALGORITHMS}: never
 * {@code none} or an HMAC), {@code typ: JWT}, a {@code kid} and no {@code crit}; whose claims have {@code iss} =
 * {@code sub} = a client id, {@code aud} this token endpoint, {@code exp} not past and at most {@code maxLifetime}
 * ahead, {@code nbf}/{@code iat} not in the future, and a {@code jti} that can be stored. Every problem is 401
 * {@code invalid_client}, whatever the JWT holds.
 */
public record ClientAssertion(String clientId, String jti, Instant expiresAt, JWSAlgorithm alg, String kid, String jku,
        SignedJWT jwt) {

    /** RFC 7523 section 2.2's {@code client_assertion_type}. */
    public static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final int MAX_ASSERTION = 8192;
    static final int MAX_JTI = 256;

    /**
     * @param audiences
     *            the accepted {@code aud} values: the token endpoint URL, then the issuer
     */
    public static ClientAssertion parse(String assertion, List<String> audiences, Instant now, Duration skew,
            Duration maxLifetime) {
        if (assertion.length() > MAX_ASSERTION) {
            throw invalid("the client assertion is too long");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw invalid("the client assertion is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!ClientKeys.ALGORITHMS.contains(header.getAlgorithm())) {
            throw invalid("the client assertion's alg must be one of RS384, ES384, ES256, RS256, EdDSA");
        }
        if (header.getType() != null && !"JWT".equalsIgnoreCase(header.getType().getType())) {
            throw invalid("the client assertion's typ must be JWT");
        }
        String kid = header.getKeyID();
        if (kid == null || kid.isEmpty() || SafeText.problem(kid, ClientKeys.MAX_KID) != null) {
            throw invalid("the client assertion's header must have a kid");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw invalid("the client assertion's header must not have crit");
        }
        String iss = claims.getIssuer();
        if (iss == null || !ClientIds.wellFormed(iss)) {
            throw invalid("the client assertion's iss must be the client id");
        }
        if (!iss.equals(claims.getSubject())) {
            throw invalid("the client assertion's sub must equal its iss (the client id)");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(audiences::contains)) {
            throw invalid("the client assertion's aud must be " + audiences.get(0));
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw invalid("the client assertion has no exp");
        }
        Instant expires = exp.toInstant();
        if (expires.isBefore(now.minus(skew))) {
            throw invalid("the client assertion has expired");
        }
        if (expires.isAfter(now.plus(maxLifetime).plus(skew))) {
            throw invalid("the client assertion lives too long: exp at most " + maxLifetime.toSeconds() + " s ahead");
        }
        if (after(claims.getNotBeforeTime(), now.plus(skew))) {
            throw invalid("the client assertion is not valid yet (nbf)");
        }
        if (after(claims.getIssueTime(), now.plus(skew))) {
            throw invalid("the client assertion was issued in the future (iat)");
        }
        String jti = claims.getJWTID();
        // the replay table stores it: PostgreSQL refuses a NUL, and a lone surrogate has no UTF-8 form
        if (jti == null || jti.isEmpty() || SafeText.problem(jti, MAX_JTI) != null) {
            throw invalid("the client assertion needs a jti of at most " + MAX_JTI + " plain characters");
        }
        String jku = header.getJWKURL() == null ? null : header.getJWKURL().toString();
        return new ClientAssertion(iss, jti, expires.plus(skew), header.getAlgorithm(), kid, jku, jwt);
    }

    /** The {@code iss} of an assertion not checked yet, for the audit of its refusal; null when there is none. */
    public static String unverifiedIssuer(String assertion) {
        try {
            String iss = assertion.length() > MAX_ASSERTION ? null
                    : SignedJWT.parse(assertion).getJWTClaimsSet().getIssuer();
            return ClientIds.wellFormed(iss) ? iss : null;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static boolean after(Date date, Instant limit) {
        return date != null && date.toInstant().isAfter(limit);
    }

    static OAuthException invalid(String description) {
        return new OAuthException(401, OAuthException.INVALID_CLIENT, description, 0);
    }
}
