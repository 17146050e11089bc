package io.keyhook.tools.examples;

import java.net.URI;
import java.util.List;
import java.util.Set;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * The resource-server Java of docs/authenticating.md ("Validating tokens in your API"), as compiled code: the text
 * between each pair of markers is the snippet on that page (DocsSnippetsTest keeps them equal), and e2e-tests'
 * ValidatingTokensDocsE2ETest runs them on real tokens of an Environment that chose ES256 or RS256, and on tokens they
 * must refuse.
 */
public final class ResourceServerExamples {

    private ResourceServerExamples() {
    }

    /**
     * Spring Security: the token's subject when it verifies and carries scope {@code read}; throws otherwise.
     * {@code jwksUrl} and {@code issuer} are token-service's.
     */
    public static String spring(String jwksUrl, String issuer, String accessToken) {
        // docs:begin spring
        // Nimbus's own typ check takes only "JWT": off, the validator below checks at+jwt instead
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUrl) // token-service's /.well-known/jwks.json
                .jwsAlgorithm(SignatureAlgorithm.RS256).jwsAlgorithm(SignatureAlgorithm.ES256).validateType(false)
                .build();
        decoder.setJwtValidator(JwtValidators.createAtJwtValidator() // RFC 9068: typ, exp, iat, sub, jti, client_id
                .issuer(issuer) // exactly token-service's keyhook.token.issuer
                .audience("keyhook-api").build());
        Jwt jwt = decoder.decode(accessToken); // throws JwtException when the token does not verify
        if (!List.of(jwt.getClaimAsString("scope").split(" ")).contains("read")) {
            throw new SecurityException("insufficient_scope"); // answer 403
        }
        // docs:end
        return jwt.getSubject();
    }

    /** Nimbus JOSE + JWT: the token's subject when it verifies and carries scope {@code read}; throws otherwise. */
    public static String nimbus(String jwksUrl, String issuer, String accessToken) throws Exception {
        // docs:begin nimbus
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).build()));
        processor.setJWTClaimsSetVerifier(
                new DefaultJWTClaimsVerifier<>("keyhook-api", new JWTClaimsSet.Builder().issuer(issuer).build(),
                        Set.of("sub", "client_id", "exp", "iat", "jti", "scope")));
        JWTClaimsSet claims = processor.process(accessToken, null); // throws when the token does not verify
        if (!List.of(claims.getStringClaim("scope").split(" ")).contains("read")) {
            throw new SecurityException("insufficient_scope"); // answer 403
        }
        // docs:end
        return claims.getSubject();
    }
}
