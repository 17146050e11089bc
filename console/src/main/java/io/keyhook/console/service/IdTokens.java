package io.keyhook.console.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.HmacKey;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.console.config.ConsoleConfig;

/**
 * Checks an OpenID Connect ID token as Core 3.1.3.7 asks: the signature, with a key from the provider's JWKS (fetched
 * once and again when an unknown {@code kid} appears) or, for HS256, the console's client secret (Core 10.1); then
 * {@code iss}, {@code aud}, {@code exp} (30 s skew) and the sign-in's {@code nonce}. A token that fails any of it is
 * refused, whatever channel it came over.
 */
@ApplicationScoped
public class IdTokens {

    private static final Logger LOG = Logger.getLogger(IdTokens.class);
    private static final String[] ASYMMETRIC = { AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, AlgorithmIdentifiers.EDDSA };

    private final ConsoleConfig.Oidc oidc;
    private final Duration discoveryTimeout;
    private final ObjectMapper json;

    private volatile HttpsJwksVerificationKeyResolver keys;

    @Inject
    IdTokens(ConsoleConfig config, ObjectMapper json) {
        this(config.oidc(), config.apiTimeout(), json);
    }

    IdTokens(ConsoleConfig.Oidc oidc, Duration discoveryTimeout, ObjectMapper json) {
        this.oidc = oidc;
        this.discoveryTimeout = discoveryTimeout;
        this.json = json;
    }

    /** The verified claims, or null when the token is not a valid ID token of this sign-in. */
    public JsonNode verify(String idToken, String nonce) {
        ConsoleConfig.Oidc o = oidc;
        try {
            JwtContext unverified = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().process(idToken);
            String alg = unverified.getJoseObjects().get(0).getAlgorithmHeaderValue();
            JwtConsumerBuilder b = new JwtConsumerBuilder().setRequireExpirationTime().setAllowedClockSkewInSeconds(30)
                    .setRequireSubject().setExpectedAudience(o.clientId().orElseThrow());
            o.issuer().ifPresentOrElse(b::setExpectedIssuer, () -> b.setExpectedIssuer(false, null));
            if (AlgorithmIdentifiers.HMAC_SHA256.equals(alg)) {
                b.setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.HMAC_SHA256)
                        .setVerificationKey(new HmacKey(o.clientSecret().orElse("").getBytes(StandardCharsets.UTF_8)))
                        .setRelaxVerificationKeyValidation();
            } else {
                b.setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ASYMMETRIC)
                        .setVerificationKeyResolver(keys());
            }
            JwtConsumer consumer = b.build();
            JwtClaims claims = consumer.processToClaims(idToken);
            if (nonce == null || !nonce.equals(claims.getClaimValueAsString("nonce"))) {
                return null;
            }
            return json.readTree(claims.toJson());
        } catch (InvalidJwtException e) {
            LOG.debugf("Refused an ID token: %s", e.getMessage());
            return null;
        } catch (Exception e) {
            LOG.warnf("Cannot check an ID token: %s", e.toString());
            return null;
        }
    }

    private HttpsJwksVerificationKeyResolver keys() throws Exception {
        HttpsJwksVerificationKeyResolver k = keys;
        if (k == null) {
            String uri = oidc.jwksUri().orElse(null);
            if (uri == null) {
                uri = discover();
            }
            HttpsJwks jwks = new HttpsJwks(uri);
            jwks.setDefaultCacheDuration(3600);
            k = new HttpsJwksVerificationKeyResolver(jwks);
            keys = k;
        }
        return k;
    }

    /** The {@code jwks_uri} from the issuer's discovery document. */
    private String discover() throws Exception {
        String issuer = oidc.issuer()
                .orElseThrow(() -> new IllegalStateException("keyhook.console.oidc.issuer or jwks-uri is required"));
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(base + "/.well-known/openid-configuration")).timeout(discoveryTimeout).build(),
                HttpResponse.BodyHandlers.ofString());
        String uri = json.readTree(r.body()).path("jwks_uri").asText(null);
        if (r.statusCode() != 200 || uri == null) {
            throw new IllegalStateException("the provider's discovery document names no jwks_uri");
        }
        return uri;
    }
}
