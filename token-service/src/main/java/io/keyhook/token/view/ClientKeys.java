package io.keyhook.token.view;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

import io.keyhook.core.text.SafeText;

/**
 * The public keys a {@code private_key_jwt} client may sign its assertions with, read from a registered or fetched JWKS
 * by the rules credentials-service applies at registration: public keys only; RSA of 2048 to 8192 bits, EC on P-256 or
 * P-384 (the point on its curve), OKP Ed25519; a {@code kid}; {@code use}, {@code key_ops} and {@code alg}, when
 * present, fit for verifying one of the {@link #ALGORITHMS}. A key breaking a rule is left out (a fetched set may also
 * hold encryption keys), so it never verifies anything; a set that is not a JWKS gives no keys.
 */
public final class ClientKeys {

    private static final Logger LOG = Logger.getLogger(ClientKeys.class);

    /** SMART Backend Services: RS384 and ES384 required, ES256, RS256 and EdDSA allowed; never none or an HMAC. */
    public static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384,
            JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.EdDSA);
    /** Most keys read from one set. */
    public static final int MAX_KEYS = 100;
    /** Longest {@code kid}. */
    public static final int MAX_KID = 256;

    private ClientKeys() {
    }

    /** The acceptable keys of a JWKS given as JSON text; none when it is not a JWKS. */
    public static List<JWK> of(String jwksJson, String origin) {
        if (jwksJson == null) {
            return List.of();
        }
        JWKSet set;
        try {
            set = JWKSet.parse(jwksJson);
        } catch (ParseException | RuntimeException e) {
            LOG.debugf("The JWKS of %s is not a JWKS: %s", origin, e.getMessage());
            return List.of();
        }
        List<JWK> keys = new ArrayList<>();
        for (JWK key : set.getKeys()) {
            if (keys.size() == MAX_KEYS) {
                break;
            }
            String problem = problem(key);
            if (problem == null) {
                keys.add(key);
            } else {
                LOG.debugf("A key of %s is left out: %s", origin, problem);
            }
        }
        return List.copyOf(keys);
    }

    /** What makes the key unfit for verifying client assertions, or null when it is fit. */
    static String problem(JWK key) {
        String kid = key.getKeyID();
        if (kid == null || kid.isEmpty() || SafeText.problem(kid, MAX_KID) != null) {
            return "it needs a kid of at most " + MAX_KID + " plain characters";
        }
        if (key.isPrivate()) {
            return "it holds private key material";
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return "its use is not sig";
        }
        if (key.getKeyOperations() != null && !key.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return "its key_ops lack verify";
        }
        if (key instanceof RSAKey rsa) {
            int bits = rsa.size();
            if (bits < 2048 || bits > 8192) {
                return "an RSA key must have 2048 to 8192 bits";
            }
        } else if (key instanceof ECKey ec) {
            // Nimbus refuses, when parsing, a point that is not on the named curve
            if (!Curve.P_256.equals(ec.getCurve()) && !Curve.P_384.equals(ec.getCurve())) {
                return "an EC key must be on P-256 or P-384";
            }
        } else if (key instanceof OctetKeyPair okp) {
            if (!Curve.Ed25519.equals(okp.getCurve()) || okp.getDecodedX().length != 32) {
                return "an OKP key must be Ed25519";
            }
        } else {
            return "kty must be RSA, EC or OKP";
        }
        if (key.getAlgorithm() != null && ALGORITHMS.stream()
                .noneMatch(a -> fits(key, a) && (a.equals(key.getAlgorithm()) || isEd25519Alias(key, a)))) {
            return "its alg is not one it can verify here";
        }
        return null;
    }

    /** Whether a key of this type (and curve) verifies this algorithm: the kty must be consistent with the alg. */
    public static boolean fits(JWK key, JWSAlgorithm alg) {
        if (JWSAlgorithm.RS256.equals(alg) || JWSAlgorithm.RS384.equals(alg)) {
            return KeyType.RSA.equals(key.getKeyType());
        }
        if (JWSAlgorithm.ES256.equals(alg)) {
            return key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
        }
        if (JWSAlgorithm.ES384.equals(alg)) {
            return key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve());
        }
        if (JWSAlgorithm.EdDSA.equals(alg)) {
            return key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
        }
        return false;
    }

    /** A key may say {@code "alg":"Ed25519"} (RFC 9864's fully specified name) for what JWS headers call EdDSA. */
    private static boolean isEd25519Alias(JWK key, JWSAlgorithm alg) {
        return JWSAlgorithm.EdDSA.equals(alg) && "Ed25519".equals(key.getAlgorithm().getName());
    }
}
