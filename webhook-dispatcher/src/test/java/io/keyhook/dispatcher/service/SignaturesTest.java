package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import io.keyhook.common.contract.DataChangeEvent;
import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.view.OwnSigningKeys;

/**
 * What receivers check, with libraries nobody here wrote: the reference Standard Webhooks library given the secret
 * exactly as shown at creation, and Nimbus JOSE for the jwt-bearer token.
 */
class SignaturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String body() {
        return DeliveryBody
                .of(JSON,
                        new DataChangeEvent("evt-1", "/patients", "patients.updated", "2026-11-28T10:00:00Z", "p-42",
                                "sandbox-test", new DataChangeEvent.Data("patients", "p-42", "updated",
                                        "2026-11-28T10:00:00Z", "https://api.example.com/patients/p-42")),
                        "2026-11-28T10:00:01Z");
    }

    @Test
    void theReferenceLibraryVerifiesEachSecretsSignature() throws Exception {
        String oldSecret = SecretGenerator.newSecret();
        String newSecret = SecretGenerator.newSecret();
        String body = body();
        long now = System.currentTimeMillis() / 1000;
        String header = StandardWebhooksSignature.header(List.of(oldSecret, newSecret), "msg_1", now, body);
        assertEquals(2, header.split(" ").length);
        Map<String, List<String>> headers = Map.of("webhook-id", List.of("msg_1"), "webhook-timestamp",
                List.of(String.valueOf(now)), "webhook-signature", List.of(header));
        // a receiver that knows either secret accepts the delivery: the rotation overlap
        new Webhook(oldSecret).verify(body, headers);
        new Webhook(newSecret).verify(body, headers);
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(SecretGenerator.newSecret()).verify(body, headers));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(oldSecret).verify(body.replace("p-42", "p-43"), headers));
    }

    @Test
    void ourSignatureEqualsTheReferenceLibrarysOwn() throws Exception {
        String secret = SecretGenerator.newSecret();
        String body = body();
        assertEquals(new Webhook(secret).sign("msg_2", 1_795_000_000L, body),
                StandardWebhooksSignature.header(List.of(secret), "msg_2", 1_795_000_000L, body));
    }

    @Test
    void theJwtBearerTokenVerifiesWithTheSecretAndBindsTheBody() throws Exception {
        String secret = SecretGenerator.newSecret();
        String body = body();
        long now = System.currentTimeMillis() / 1000;
        String token = JwtBearerToken.create(secret, "cl_abc", "https://receiver.example.com/hooks", "msg_3", now, 300,
                body);
        SignedJWT jwt = SignedJWT.parse(token);
        assertTrue(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8))));
        var claims = jwt.getJWTClaimsSet();
        assertEquals("cl_abc", claims.getIssuer());
        assertEquals(List.of("https://receiver.example.com/hooks"), claims.getAudience());
        assertEquals("msg_3", claims.getJWTID());
        assertEquals(now + 300, claims.getExpirationTime().getTime() / 1000);
        assertEquals(JwtBearerToken.bodyHash(body), claims.getStringClaim("body_sha256"));
        assertTrue(!JwtBearerToken.bodyHash(body).equals(JwtBearerToken.bodyHash(body + " ")));
        assertTrue(!jwt.verify(new MACVerifier(SecretGenerator.newSecret().getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aWebhooksOwnSecretSignsExactlyAsTheReferenceLibraryDoes() throws Exception {
        String secret = SecretGenerator.newSecret();
        String body = body();
        var key = OwnSigningKeys.decode(
                new WebhookState.SigningKey("whk_1", "hmac", "active", null, "khl:v1:x", 1, null, null),
                secret.getBytes(StandardCharsets.UTF_8));
        assertEquals(new Webhook(secret).sign("msg_4", 1_795_000_000L, body),
                OwnKeySignature.header(List.of(key), "msg_4", 1_795_000_000L, body));
    }
}
