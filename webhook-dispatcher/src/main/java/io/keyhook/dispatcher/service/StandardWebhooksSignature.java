package io.keyhook.dispatcher.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of the Standard Webhooks spec: {@code v1,<base64 HMAC-SHA256 of
 * "msgId.timestamp.body">}, one per signing secret, space-separated (several during a rotation overlap). The key is the
 * secret as shown at creation with its {@code whsec_} prefix removed and the rest base64-decoded, exactly what the
 * reference libraries do with it.
 */
public final class StandardWebhooksSignature {

    static final String PREFIX = "whsec_";

    private StandardWebhooksSignature() {
    }

    public static String header(List<String> secrets, String msgId, long timestampSeconds, String body) {
        StringBuilder out = new StringBuilder();
        byte[] content = (msgId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        for (String secret : secrets) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append("v1,").append(Base64.getEncoder().encodeToString(hmac(key(secret), content)));
        }
        return out.toString();
    }

    /** The HMAC key a Standard Webhooks secret stands for. */
    static byte[] key(String secret) {
        String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(b64);
    }

    static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
