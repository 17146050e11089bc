package io.keyhook.tools.examples;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
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

    /**
     * standard-webhooks {@code v1a}: throws unless one of the delivery's {@code v1a} signatures verifies with one of
     * {@code publicKeys} (the webhook's active keys as listed, "whpk_…"), with a timestamp at most 5 minutes off.
     */
    public static void v1a(List<String> publicKeys, byte[] rawBody, Request request) throws Exception {
        // docs:begin v1a
        String id = request.getHeader("webhook-id");
        String timestamp = request.getHeader("webhook-timestamp");
        if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300) {
            throw new SecurityException("timestamp too far off");
        }
        ByteArrayOutputStream signed = new ByteArrayOutputStream(); // "{webhook-id}.{webhook-timestamp}.{raw body}"
        signed.writeBytes((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        signed.writeBytes(rawBody);
        // an Ed25519 public key in X.509 form is this fixed prefix, then the raw 32 bytes that whpk_ carries
        byte[] spkiPrefix = HexFormat.of().parseHex("302a300506032b6570032100");
        boolean verified = false;
        for (String signature : request.getHeader("webhook-signature").split(" ")) {
            if (!signature.startsWith("v1a,")) {
                continue; // v1 signatures are for receivers holding a secret
            }
            for (String publicKey : publicKeys) { // every listed key: two during a rotation
                byte[] raw = Base64.getDecoder().decode(publicKey.substring("whpk_".length()));
                byte[] spki = new byte[spkiPrefix.length + raw.length];
                System.arraycopy(spkiPrefix, 0, spki, 0, spkiPrefix.length);
                System.arraycopy(raw, 0, spki, spkiPrefix.length, raw.length);
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
                ed25519.update(signed.toByteArray());
                verified |= ed25519.verify(Base64.getDecoder().decode(signature.substring("v1a,".length())));
            }
        }
        if (!verified) {
            throw new SecurityException("no valid v1a signature");
        }
        // docs:end
    }
}
