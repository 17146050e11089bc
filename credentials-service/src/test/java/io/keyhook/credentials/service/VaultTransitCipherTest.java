package io.keyhook.credentials.service;

import static io.keyhook.credentials.Fixtures.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.common.crypto.SecretCipher;
import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.Postgres;
import io.keyhook.testing.TestTokens;
import io.keyhook.testing.VaultStubResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Our side of Vault Transit: derived-key context per Environment, versioned ciphertexts, rotate + rewrap. */
@QuarkusTest
@TestProfile(VaultCipherProfile.class)
class VaultTransitCipherTest {

    @Inject
    SecretCipher cipher;

    @Test
    void secretsAreEncryptedThroughVaultTransitWithTheEnvironmentAsContext() throws Exception {
        String env = Fixtures.environment();
        Response created = Fixtures.client(env);
        String value = created.path("secret.value");
        String ciphertext = storedCiphertext(created.path("secret.id"));

        int version = cipher.currentKeyVersion().await().indefinitely();
        assertTrue(ciphertext.startsWith("vault:v" + version + ":"), ciphertext);
        String context = Base64.getEncoder().encodeToString(env.getBytes(StandardCharsets.UTF_8));
        assertTrue(VaultStubResource.stub().contexts().contains(context),
                "the Environment id is the derivation context");
        assertEquals(value, new String(cipher.decrypt(env, ciphertext).await().indefinitely(), StandardCharsets.UTF_8));
        assertThrows(RuntimeException.class, () -> cipher.decrypt("another-env", ciphertext).await().indefinitely());
    }

    @Test
    void rotatingTheTransitKeyRewrapsVaultCiphertexts() throws Exception {
        String env = Fixtures.environment();
        Response created = Fixtures.client(env);
        int before = cipher.currentKeyVersion().await().indefinitely();

        int rewrapped = as(TestTokens.operator()).post("/api/v1/secret-encryption-key/rotate").then().statusCode(200)
                .extract().path("rewrapped");

        assertTrue(rewrapped >= 1);
        assertTrue(VaultStubResource.stub().requests().stream().anyMatch(r -> r.endsWith("/rotate")));
        String ciphertext = storedCiphertext(created.path("secret.id"));
        assertTrue(ciphertext.startsWith("vault:v" + (before + 1) + ":"), ciphertext);
        assertEquals(created.<String> path("secret.value"),
                new String(cipher.decrypt(env, ciphertext).await().indefinitely(), StandardCharsets.UTF_8));
    }

    private static String storedCiphertext(String secretId) throws Exception {
        try (Connection c = Postgres.server().connect("credentials_test"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "select ciphertext from credentials.client_secrets where id = '" + secretId + "'")) {
            assertTrue(rs.next(), "secret " + secretId + " stored");
            return rs.getString(1);
        }
    }
}
