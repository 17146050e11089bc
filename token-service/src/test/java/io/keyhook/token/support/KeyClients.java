package io.keyhook.token.support;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.keyhook.core.crypto.SecretGenerator;

/**
 * private_key_jwt clients for token-service tests: key pairs made with Nimbus, the client's state record published as
 * credentials-service publishes it ({@code authMethod}, {@code jwks} or {@code jwksUri}), and assertions signed as a
 * SMART Backend Services client signs them.
 */
public final class KeyClients {

    /** The audience every assertion must name: the test issuer's token endpoint. */
    public static final String AUDIENCE = "https://keyhook.test/oauth2/token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyClients() {
    }

    /** A private_key_jwt client; {@code keys} are the private keys (the record gets their public halves). */
    public record Client(String clientId, String environment, String status, List<JWK> keys, String jwksUri,
            List<TestClients.Secret> secrets) {

        public JWK key() {
            return keys.get(0);
        }

        public Client withKeys(List<JWK> more) {
            return new Client(clientId, environment, status, more, jwksUri, secrets);
        }

        /** The same client with a secret still in its record (as if it had switched from client_secret). */
        public Client withSecret(TestClients.Secret secret) {
            return new Client(clientId, environment, status, keys, jwksUri, List.of(secret));
        }

        public Client disable() {
            return new Client(clientId, environment, "disabled", keys, jwksUri, secrets);
        }

        /** The record JSON, as on the topic. */
        public String json(java.time.Instant updatedAt) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("schemaVersion", 1);
            record.put("kind", "api");
            record.put("clientId", clientId);
            record.put("environment", environment);
            record.put("name", "Backend service");
            record.put("status", status);
            record.put("groups", null);
            record.put("environments", null);
            record.put("updatedAt", updatedAt.toString());
            List<Object> states = new ArrayList<>();
            for (TestClients.Secret s : secrets) {
                // a secret left over from before the client switched to private_key_jwt
                states.add(TestClients.secretState(s, environment, updatedAt));
            }
            record.put("secrets", states);
            record.put("authMethod", "private_key_jwt");
            if (jwksUri != null) {
                record.put("jwksUri", jwksUri);
            } else {
                record.put("jwks", JsonOf.map(publicJwks(keys)));
            }
            try {
                return JSON.writeValueAsString(record);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A small JSON helper (Jackson) for the record. */
    static final class JsonOf {
        @SuppressWarnings("unchecked")
        static Map<String, Object> map(String json) {
            try {
                return JSON.readValue(json, Map.class);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The public JWKS of these keys, as a client registers or serves it. */
    public static String publicJwks(List<JWK> keys) {
        return new JWKSet(keys.stream().map(JWK::toPublicJWK).toList()).toString();
    }

    public static String b64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static ECKey ec(Curve curve) {
        try {
            return new ECKeyGenerator(curve).keyID("ec-" + UUID.randomUUID()).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey rsa(int bits) {
        try {
            return new RSAKeyGenerator(bits).keyID("rsa-" + UUID.randomUUID()).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static OctetKeyPair ed25519() {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-" + UUID.randomUUID()).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new client with inline keys, not yet published. */
    public static Client inline(JWK... keys) {
        return new Client(SecretGenerator.newId("cl_"), TestClients.environment(), "active", List.of(keys), null,
                List.of());
    }

    /** A new client whose keys are at {@code jwksUri}, not yet published. */
    public static Client atUri(String jwksUri, JWK... keys) {
        return new Client(SecretGenerator.newId("cl_"), TestClients.environment(), "active", List.of(keys), jwksUri,
                List.of());
    }

    /** Publishes the client's state as credentials-service does (its API answers with it, and the topic carries it). */
    public static Client publish(Client c) {
        java.time.Instant at = TestClients.tick();
        String json = c.json(at);
        CredentialsStub.shared().put(c.clientId(), json);
        TestClients.send(c.clientId(), json);
        return c;
    }

    /** Only in credentials-service (its API): not on the topic yet. */
    public static Client publishToApiOnly(Client c) {
        CredentialsStub.shared().put(c.clientId(), c.json(TestClients.tick()));
        return c;
    }

    /** The claims a SMART client sends: iss = sub = client id, aud, exp in {@code seconds}, a fresh jti. */
    public static JWTClaimsSet.Builder claims(String clientId, int seconds) {
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(AUDIENCE)
                .expirationTime(new Date(System.currentTimeMillis() + seconds * 1000L))
                .jwtID(UUID.randomUUID().toString());
    }

    /** The header a SMART client sends: alg, kid, typ JWT. */
    public static JWSHeader.Builder header(JWSAlgorithm alg, String kid) {
        return new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT);
    }

    /** A valid assertion of this client, signed with its first key. */
    public static String assertion(Client c) {
        return sign(c.key(), header(algOf(c.key()), c.key().getKeyID()).build(), claims(c.clientId(), 120).build());
    }

    public static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner signer(JWK key) throws Exception {
        if (key instanceof ECKey ec) {
            return new ECDSASigner(ec);
        }
        if (key instanceof RSAKey rsa) {
            return new RSASSASigner(rsa);
        }
        return new Ed25519Signer((OctetKeyPair) key);
    }

    public static JWSAlgorithm algOf(JWK key) {
        if (key instanceof ECKey ec) {
            return Curve.P_256.equals(ec.getCurve()) ? JWSAlgorithm.ES256 : JWSAlgorithm.ES384;
        }
        return key instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.EdDSA;
    }
}
