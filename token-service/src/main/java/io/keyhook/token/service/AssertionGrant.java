package io.keyhook.token.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.token.client.CredentialsLookup;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.persistence.UsedAssertionRepository;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * RFC 7523 section 2.1: a JWT assertion as the authorization grant — the platform's original v1 exchange. HS256 only,
 * keyed by the UTF-8 octets of one of the client's active secrets; {@code iss} (and {@code sub}, if present) = client
 * id; {@code aud} = this token endpoint; {@code exp} required and short; {@code jti} required and accepted once. Every
 * problem is {@code invalid_grant}, as section 3.1 requires.
 */
@ApplicationScoped
public class AssertionGrant {

    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
    private static final int MAX_ASSERTION = 8192;

    @Inject
    TokenConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    CredentialView view;

    @Inject
    CredentialsLookup lookup;

    @Inject
    SecretKeys secretKeys;

    @Inject
    UsedAssertionRepository usedAssertions;

    @Inject
    AbuseLimits limits;

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    TokenEndpoint endpoint;

    private record Parsed(String clientId, String jti, Instant expiresAt, byte[] signingInput, byte[] signature) {
    }

    public Uni<Authenticated> verify(String assertion, String source) {
        long start = System.nanoTime();
        Parsed p = parse(assertion);
        // a good signature first: failures somebody else made never refuse it
        return findSigner(p).chain(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            limits.checkPairNotBlocked(p.clientId(), source);
            limits.checkSourceNotBlocked(source);
            // a secret created a moment ago may not be in the view yet
            return lookup.refresh(p.clientId()).chain(() -> findSigner(p));
        }).chain(found -> {
            if (found == null) {
                authenticator.refuse(p.clientId(), source, "token.refused", view.client(p.clientId()),
                        "bad_assertion_signature");
                return authenticator.<Authenticated> failAfterFloor(start,
                        invalid("the assertion's signature does not verify with an active secret of its issuer")
                                .audited());
            }
            return usedAssertions.firstUse(p.clientId(), p.jti(), p.expiresAt()).map(first -> {
                if (!first) {
                    authenticator.refuse(p.clientId(), source, "token.refused", found.client(), "assertion_replayed");
                    throw invalid("the assertion's jti was already used").audited();
                }
                return found;
            });
        });
    }

    private Uni<Authenticated> findSigner(Parsed p) {
        KnownClient client = view.client(p.clientId());
        if (client == null || !client.active()) {
            return Uni.createFrom().nullItem();
        }
        List<KnownClient.KnownSecret> active = client.secrets().stream().filter(KnownClient.KnownSecret::active)
                .toList();
        return Multi.createFrom().iterable(active).onItem()
                .transformToUniAndConcatenate(s -> secretKeys.of(client, s)
                        .map(key -> key != null && signatureMatches(key, p) ? s : null).onFailure().recoverWithNull())
                .filter(s -> s != null).collect().first().map(s -> s == null ? null : new Authenticated(client, s));
    }

    private static boolean signatureMatches(byte[] key, Parsed p) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return MessageDigest.isEqual(mac.doFinal(p.signingInput()), p.signature());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private Parsed parse(String assertion) {
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
        if (!"HS256".equals(header.path("alg").asText())) {
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
        if (!audience(claims).contains(tokenEndpoint())) {
            throw invalid("the assertion's aud must be " + tokenEndpoint());
        }
        Instant now = Instant.now();
        long skew = config.clockSkew().toSeconds();
        if (!claims.path("exp").isNumber()) {
            throw invalid("the assertion has no exp");
        }
        Instant exp = Instant.ofEpochSecond(claims.path("exp").asLong());
        if (exp.isBefore(now.minusSeconds(skew))) {
            throw invalid("the assertion has expired");
        }
        if (exp.isAfter(now.plus(config.assertions().maxLifetime()).plusSeconds(skew))) {
            throw invalid("the assertion lives too long: exp at most " + config.assertions().maxLifetime().toSeconds()
                    + " s ahead");
        }
        if (claims.has("nbf") && Instant.ofEpochSecond(claims.path("nbf").asLong()).isAfter(now.plusSeconds(skew))) {
            throw invalid("the assertion is not valid yet (nbf)");
        }
        if (claims.has("iat") && Instant.ofEpochSecond(claims.path("iat").asLong()).isAfter(now.plusSeconds(skew))) {
            throw invalid("the assertion was issued in the future (iat)");
        }
        String jti = text(claims, "jti");
        if (jti == null || jti.length() > 256) {
            throw invalid("the assertion needs a jti of at most 256 characters");
        }
        return new Parsed(iss, jti, exp.plusSeconds(skew),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature);
    }

    String tokenEndpoint() {
        return endpoint.url();
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

    private static OAuthException invalid(String description) {
        return OAuthException.badRequest(OAuthException.INVALID_GRANT, description);
    }
}
