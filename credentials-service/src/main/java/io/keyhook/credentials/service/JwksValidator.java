package io.keyhook.credentials.service;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

import io.keyhook.core.error.ProblemException;

/**
 * Checks a JWKS a {@code private_key_jwt} client registers, as strictly as a serious identity provider does: an object
 * {@code {"keys":[...]}} of 1 to {@value #MAX_KEYS} public signing keys (RSA of 2048 to 8192 bits, EC on P-256, P-384
 * or P-521, OKP Ed25519), each with a unique, plain {@code kid}, an {@code alg} (if any) that Keyhook accepts and that
 * fits the key, {@code use} (if any) {@code sig}, and no private member. Each key must parse as a public key (Nimbus,
 * which also checks that an EC point is on its curve). Every refusal is a 400 problem naming the key and the reason.
 */
public final class JwksValidator {

    /** The JWKS as JSON text, at most: ten 8192-bit RSA keys fit several times over. */
    public static final int MAX_JWKS_BYTES = 32 * 1024;
    public static final int MAX_KEYS = 10;
    public static final int MAX_KID_LENGTH = 128;
    public static final int MIN_RSA_BITS = 2048;
    public static final int MAX_RSA_BITS = 8192;

    /** A kid: printable ASCII without spaces, quotes or backslashes, safe in logs, headers and JSON alike. */
    public static final String KID_REGEX = "^[A-Za-z0-9._~:+/=@#-]{1,128}$";
    private static final Pattern KID = Pattern.compile(KID_REGEX);
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{1,2048}");
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final Set<String> TEXT_MEMBERS = Set.of("kty", "kid", "alg", "use", "crv", "n", "e", "x", "y");
    /** The client-assertion algorithms token-service verifies, by the key type each needs. */
    private static final Map<String, String> ALG_KTY = Map.of("RS256", "RSA", "RS384", "RSA", "ES256", "EC", "ES384",
            "EC", "EdDSA", "OKP");
    private static final Map<String, String> ALG_CRV = Map.of("ES256", "P-256", "ES384", "P-384", "EdDSA", "Ed25519");
    private static final Set<String> EC_CURVES = Set.of("P-256", "P-384", "P-521");

    private JwksValidator() {
    }

    /** What a client's response lists of each registered key. */
    public record Key(String kid, String kty, String alg, String crv) {
    }

    /** A JWKS that passed: the JSON text to store and publish, and its keys. */
    public record Validated(String json, List<Key> keys) {
    }

    /** Checks {@code jwks}; throws a 400 {@link ProblemException} naming the first thing wrong. */
    public static Validated validate(JsonNode jwks) {
        if (jwks == null || !jwks.isObject()) {
            throw refused("jwks_invalid", "jwks must be a JSON object {\"keys\": [...]}", -1, null);
        }
        String text = jwks.toString();
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_JWKS_BYTES) {
            throw refused("jwks_too_large", "jwks is larger than " + MAX_JWKS_BYTES + " bytes", -1, null);
        }
        JsonNode keys = jwks.get("keys");
        if (keys == null || !keys.isArray()) {
            throw refused("jwks_invalid", "jwks must have a \"keys\" array", -1, null);
        }
        if (keys.isEmpty() || keys.size() > MAX_KEYS) {
            throw refused("jwks_key_count", "jwks must hold 1 to " + MAX_KEYS + " keys, not " + keys.size(), -1, null);
        }
        List<Key> valid = new ArrayList<>();
        Set<String> kids = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            Key key = validateKey(keys.get(i), i);
            if (!kids.add(key.kid())) {
                throw refused("jwks_kid_duplicate", "kid '" + key.kid() + "' appears more than once", i, key.kid());
            }
            valid.add(key);
        }
        // stored and published as {"keys": [...]} only: other top-level members mean nothing to a verifier
        ObjectNode normal = JsonNodeFactory.instance.objectNode();
        normal.set("keys", keys.deepCopy());
        return new Validated(normal.toString(), List.copyOf(valid));
    }

    private static Key validateKey(JsonNode key, int index) {
        if (key == null || !key.isObject()) {
            throw refused("jwks_key_invalid", "must be a JSON object", index, null);
        }
        // the kid names the key in every refusal, but only once it is known to be safe to echo
        JsonNode kidNode = key.get("kid");
        String kid = kidNode != null && kidNode.isTextual() && KID.matcher(kidNode.asText()).matches()
                ? kidNode.asText() : null;
        for (Iterator<String> names = key.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (PRIVATE_MEMBERS.contains(name)) {
                throw refused("jwks_private_key", "has the private member '" + name
                        + "': register public keys only (and treat this private key as leaked)", index, kid);
            }
            if (TEXT_MEMBERS.contains(name) && !key.get(name).isTextual()) {
                throw refused("jwks_key_invalid", "member '" + name + "' must be a string", index, kid);
            }
        }
        if (kid == null) {
            throw refused("jwks_kid_invalid",
                    "needs a kid of 1 to " + MAX_KID_LENGTH + " characters from A-Z a-z 0-9 . _ ~ : + / = @ # -", index,
                    null);
        }
        String kty = text(key, "kty");
        if (!"RSA".equals(kty) && !"EC".equals(kty) && !"OKP".equals(kty)) {
            throw refused("jwks_key_type", "oct".equals(kty) ? "is a symmetric (oct) key: register public keys only"
                    : "kty must be RSA, EC or OKP", index, kid);
        }
        String use = text(key, "use");
        if (use != null && !use.equals("sig")) {
            throw refused("jwks_key_use", "use must be sig", index, kid);
        }
        JsonNode ops = key.get("key_ops");
        if (ops != null && !(ops.isArray() && ops.size() == 1 && "verify".equals(ops.get(0).asText(null)))) {
            throw refused("jwks_key_use", "key_ops, if present, must be [\"verify\"]", index, kid);
        }
        String alg = text(key, "alg");
        if (alg != null && !ALG_KTY.containsKey(alg)) {
            throw refused("jwks_key_alg", "alg must be one of RS256, RS384, ES256, ES384, EdDSA", index, kid);
        }
        if (alg != null && !ALG_KTY.get(alg).equals(kty)) {
            throw refused("jwks_key_alg", "alg " + alg + " does not fit a " + kty + " key", index, kid);
        }
        String crv = text(key, "crv");
        for (String member : List.of("n", "e", "x", "y")) {
            String value = text(key, member);
            if (value != null && !BASE64URL.matcher(value).matches()) {
                throw refused("jwks_key_invalid", "member '" + member + "' is not base64url of at most 2048 characters",
                        index, kid);
            }
        }
        switch (kty) {
        case "RSA" -> checkRsa(key, index, kid);
        case "EC" -> checkEc(key, index, kid, crv, alg);
        default -> checkOkp(key, index, kid, crv);
        }
        return new Key(kid, kty, alg, "RSA".equals(kty) ? null : crv);
    }

    private static void checkRsa(JsonNode key, int index, String kid) {
        RSAPublicKey rsa;
        try {
            rsa = ((RSAKey) parse(key, index, kid, "RSA")).toRSAPublicKey();
        } catch (JOSEException | RuntimeException e) {
            throw refused("jwks_key_invalid", "is not a valid RSA public key", index, kid);
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
            throw refused("jwks_key_too_weak",
                    "RSA modulus has " + bits + " bits; " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " are accepted",
                    index, kid);
        }
        BigInteger e = rsa.getPublicExponent();
        if (e.bitLength() > 64 || !e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0) {
            throw refused("jwks_key_invalid", "RSA public exponent must be odd, at least 3 and at most 64 bits", index,
                    kid);
        }
    }

    private static void checkEc(JsonNode key, int index, String kid, String crv, String alg) {
        if (crv == null || !EC_CURVES.contains(crv)) {
            throw refused("jwks_key_curve", "EC keys must be on P-256, P-384 or P-521", index, kid);
        }
        if (alg != null && !crv.equals(ALG_CRV.get(alg))) {
            throw refused("jwks_key_alg", "alg " + alg + " does not fit curve " + crv, index, kid);
        }
        try {
            // Nimbus refuses a point that is not on the curve (the invalid-curve attack)
            ((ECKey) parse(key, index, kid, "EC")).toECPublicKey();
        } catch (JOSEException | RuntimeException e) {
            throw refused("jwks_key_invalid", "is not a valid EC public key on " + crv, index, kid);
        }
    }

    private static void checkOkp(JsonNode key, int index, String kid, String crv) {
        if (!"Ed25519".equals(crv)) {
            throw refused("jwks_key_curve", "OKP keys must be Ed25519", index, kid);
        }
        OctetKeyPair okp = (OctetKeyPair) parse(key, index, kid, "OKP");
        if (okp.getX() == null || okp.getDecodedX().length != 32) {
            throw refused("jwks_key_invalid", "an Ed25519 public key is 32 bytes", index, kid);
        }
    }

    private static JWK parse(JsonNode key, int index, String kid, String kty) {
        try {
            JWK jwk = JWK.parse(key.toString());
            if (jwk.isPrivate()) {
                throw refused("jwks_private_key", "holds private key material", index, kid);
            }
            return jwk;
        } catch (ParseException | RuntimeException e) {
            if (e instanceof ProblemException p) {
                throw p;
            }
            throw refused("jwks_key_invalid", "is not a valid " + kty + " public key", index, kid);
        }
    }

    private static String text(JsonNode key, String name) {
        JsonNode v = key.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The problem names the key by its position and, once its kid is known to be safe to echo, by its kid. */
    private static ProblemException refused(String code, String reason, int index, String kid) {
        String which = index < 0 ? "" : kid == null ? "key " + index + ": " : "key " + index + " (kid '" + kid + "'): ";
        ProblemException p = ProblemException.badRequest(code, which + reason);
        if (index >= 0) {
            p = p.with("keyIndex", index);
        }
        return kid == null ? p : p.with("kid", kid);
    }
}
