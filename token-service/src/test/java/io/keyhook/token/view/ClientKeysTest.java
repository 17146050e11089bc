package io.keyhook.token.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/** The rules a registered or fetched client key must meet (those credentials-service applies at registration). */
class ClientKeysTest {

    private static ECKey ec(Curve curve) throws Exception {
        return new ECKeyGenerator(curve).keyID("k-" + curve.getName()).generate();
    }

    @Test
    void onlyPublicSigningKeysOfTheAllowedKindsAreKept() throws Exception {
        ECKey p384 = ec(Curve.P_384);
        ECKey p521 = ec(Curve.P_521);
        JWK rsa1024 = new RSAKeyGenerator(1024, true).keyID("small").generate();
        JWK rsa2048 = new RSAKeyGenerator(2048).keyID("rsa").generate();
        OctetSequenceKey hmac = new OctetSequenceKeyGenerator(256).keyID("hmac").generate();
        ECKey noKid = new ECKeyGenerator(Curve.P_256).generate();
        ECKey encryption = new ECKeyGenerator(Curve.P_256).keyID("enc").keyUse(KeyUse.ENCRYPTION).generate();
        ECKey wrongAlg = new ECKeyGenerator(Curve.P_256).keyID("alg").algorithm(JWSAlgorithm.ES384).generate();
        String set = new JWKSet(
                List.of(p384.toPublicJWK(), p521.toPublicJWK(), rsa1024.toPublicJWK(), rsa2048.toPublicJWK(), hmac,
                        noKid.toPublicJWK(), encryption.toPublicJWK(), wrongAlg.toPublicJWK(), ec(Curve.P_256)))
                                .toString(false);
        List<JWK> kept = ClientKeys.of(set, "test");
        assertEquals(List.of("k-P-384", "rsa"), kept.stream().map(JWK::getKeyID).toList());
        assertTrue(kept.stream().noneMatch(JWK::isPrivate));
    }

    @Test
    void notAJwksGivesNoKeys() {
        assertEquals(List.of(), ClientKeys.of("{\"keys\":7}", "test"));
        assertEquals(List.of(), ClientKeys.of("[]", "test"));
        assertEquals(List.of(), ClientKeys.of("\u0000", "test"));
    }

    @Test
    void aKeyTypeMustFitTheAlgorithm() throws Exception {
        ECKey p256 = ec(Curve.P_256);
        assertTrue(ClientKeys.fits(p256, JWSAlgorithm.ES256));
        assertTrue(!ClientKeys.fits(p256, JWSAlgorithm.ES384));
        assertTrue(!ClientKeys.fits(p256, JWSAlgorithm.RS256));
        assertTrue(!ClientKeys.fits(p256, JWSAlgorithm.HS256));
        assertNull(ClientKeys.problem(p256.toPublicJWK()));
        assertNotNull(ClientKeys.problem(p256));
    }
}
