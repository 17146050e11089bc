package io.keyhook.common.security;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * SmallRye JWT's parsing and checks, unchanged, with the verification keys of {@link AnnouncedSigningKeys} (which
 * learns token-service's new keys the moment they are announced) where it serves the configured JWKS.
 */
@Alternative
@Priority(1)
@Singleton
public class KeyhookJwtPrincipalFactory extends JWTCallerPrincipalFactory {

    private final DefaultJWTTokenParser parser;

    @Inject
    public KeyhookJwtPrincipalFactory(AnnouncedSigningKeys keys) {
        this.parser = new DefaultJWTTokenParser() {
            @Override
            protected VerificationKeyResolver getVerificationKeyResolver(JWTAuthContextInfo info)
                    throws UnresolvableKeyException {
                return keys.serves(info) ? keys : super.getVerificationKeyResolver(info);
            }
        };
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
        JwtContext context = parser.parse(token, info);
        String type = context.getJoseObjects().get(0).getHeader("typ");
        return new DefaultJWTCallerPrincipal(type, context.getJwtClaims());
    }
}
