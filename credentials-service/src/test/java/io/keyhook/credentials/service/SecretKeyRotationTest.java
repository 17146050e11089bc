package io.keyhook.credentials.service;

import static io.keyhook.credentials.Fixtures.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.Postgres;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SecretKeyRotationTest {

    @Test
    void rotatingTheEncryptionKeyRewrapsEveryStoredSecret() throws Exception {
        String env = Fixtures.environment();
        String clientId = Fixtures.client(env).path("clientId");
        int before = maxKeyVersion();

        int rewrapped = as(TestTokens.operator()).post("/api/v1/secret-encryption-key/rotate").then().statusCode(200)
                .extract().path("rewrapped");

        assertTrue(rewrapped >= 1, "at least the new client's secret moves to the new key");
        try (Connection c = Postgres.server().connect("credentials_test"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "select count(*), min(key_version), max(key_version) from credentials.client_secrets")) {
                rs.next();
                assertEquals(before + 1, rs.getInt(3), "a new key version is in use");
                assertEquals(rs.getInt(3), rs.getInt(2), "no secret is left on an old key version");
            }
            try (ResultSet rs = st.executeQuery(
                    "select ciphertext from credentials.client_secrets where client_id = '" + clientId + "'")) {
                rs.next();
                assertTrue(rs.getString(1).startsWith("khl:v" + (before + 1) + ":"), rs.getString(1));
            }
        }
        // the rewrapped secret still belongs to a working client
        as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/clients/" + clientId + "/secrets").then()
                .statusCode(200);
    }

    private static int maxKeyVersion() throws Exception {
        try (Connection c = Postgres.server().connect("credentials_test"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select max(key_version) from credentials.client_secrets")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
