package io.keyhook.tools.examples;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.standardwebhooks.Webhook;

/**
 * The receiver-side Java checks of docs/verifying-webhooks.md, as compiled code: the text between each pair of markers
 * is the snippet on that page (DocsSnippetsTest keeps them equal), and e2e-tests' VerifyingDocsE2ETest runs them on
 * real deliveries, and on tampered ones, which they must refuse.
 */
public final class VerifyExamples {

    private VerifyExamples() {
    }

    /** The receiving request, as any HTTP framework exposes it. */
    public interface Request {
        String getHeader(String name);
    }

    /** standard-webhooks: throws when the delivery does not verify with {@code secret} ("whsec_…"). */
    public static void standardWebhooks(String secret, String rawBody, Request request) throws Exception {
        // docs:begin standard-webhooks
        Webhook wh = new Webhook(secret); // "whsec_…", as shown when the secret was created
        wh.verify(rawBody,
                Map.of("webhook-id", List.of(request.getHeader("webhook-id")), "webhook-timestamp",
                        List.of(request.getHeader("webhook-timestamp")), "webhook-signature",
                        List.of(request.getHeader("webhook-signature")))); // throws when it does not verify
        // docs:end
    }

    /** jwt-bearer: throws when the delivery's token is not valid for this body, this URL and this delivery. */
    public static void jwtBearer(String secret, byte[] rawBody, String authorization, Request request, String MY_URL)
            throws Exception {
        // docs:begin jwt-bearer
        SignedJWT jwt = SignedJWT.parse(authorization.substring("Bearer ".length()));
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
                || !jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))) {
            throw new SecurityException("bad signature");
        }
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        String bodyHash = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(rawBody));
        if (!c.getAudience().contains(MY_URL) || c.getExpirationTime().before(new Date())
                || !bodyHash.equals(c.getStringClaim("body_sha256"))
                || !c.getJWTID().equals(request.getHeader("webhook-id"))) {
            throw new SecurityException("token not for this delivery");
        }
        // docs:end
    }
}
