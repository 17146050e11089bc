package io.keyhook.dispatcher.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.crypto.signers.Ed25519Signer;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.view.OwnSigningKeys;

/**
 * The {@code webhook-signature} header of a webhook that signs with keys of its own (issue 30), per the Standard
 * Webhooks spec: {@code v1a,<base64 Ed25519 signature>} for each Ed25519 key and {@code v1,<base64 HMAC-SHA256>} for
 * each {@code whsec_} secret (keyed as the reference libraries do, as for client secrets), of
 * {@code msgId.timestamp.body}, space-separated (several during a rotation overlap).
 */
final class OwnKeySignature {

    private OwnKeySignature() {
    }

    static String header(List<OwnSigningKeys.Decoded> keys, String msgId, long timestampSeconds, String body) {
        byte[] content = (msgId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (OwnSigningKeys.Decoded k : keys) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            if (WebhookState.SigningKey.ED25519.equals(k.kind())) {
                out.append("v1a,").append(Base64.getEncoder().encodeToString(ed25519(k, content)));
            } else {
                out.append("v1,").append(
                        Base64.getEncoder().encodeToString(StandardWebhooksSignature.hmac(k.hmacKey(), content)));
            }
        }
        return out.toString();
    }

    private static byte[] ed25519(OwnSigningKeys.Decoded k, byte[] content) {
        // a signer holds a buffer: one per signature, no lock shared by the delivery threads
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, k.ed25519());
        signer.update(content, 0, content.length);
        return signer.generateSignature();
    }
}
