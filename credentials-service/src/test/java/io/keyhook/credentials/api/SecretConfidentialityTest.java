package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.Postgres;
import io.keyhook.testing.TestTokens;
import io.keyhook.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A created secret's plaintext is nowhere but in the one response that created it. */
@QuarkusTest
class SecretConfidentialityTest {

    @Test
    void plaintextIsNotInTheDatabaseTheTopicTheLogsOrLaterResponses() throws Exception {
        String env = Fixtures.environment();
        Response created = Fixtures.client(env);
        String clientId = created.path("clientId");
        String first = created.path("secret.value");
        String second = Fixtures.secret(env, clientId).path("value");
        // a refused action, so the error and audit paths run too
        as(TestTokens.admin(env))
                .post("/api/v1/environments/" + env + "/clients/" + clientId + "/secrets/" + first + "/invalidate")
                .then().statusCode(422);

        List<String> needles = List.of(first, second, first.substring("whsec_".length()),
                second.substring("whsec_".length()));

        String dump = databaseDump();
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> TopicReader.readAll("keyhook.credentials").stream().anyMatch(r -> clientId.equals(r.key())
                        && r.value().contains("\"secrets\"") && r.value().split("sec_").length > 2));
        StringBuilder topic = new StringBuilder();
        TopicReader.readAll("keyhook.credentials").forEach(r -> topic.append(r.value()).append('\n'));
        String logs = Files.readString(Path.of("target/quarkus-test.log"));
        StringBuilder responses = new StringBuilder();
        String base = "/api/v1/environments/" + env;
        for (String path : List.of(base + "/clients", base + "/clients/" + clientId,
                base + "/clients/" + clientId + "/secrets", base + "/audit")) {
            responses.append(as(TestTokens.admin(env)).get(path).then().statusCode(200).extract().asString());
        }

        assertTrue(dump.contains(clientId), "the dump must hold the client, or it proves nothing");
        assertTrue(topic.toString().contains(clientId), "the topic must hold the client, or it proves nothing");
        for (String needle : needles) {
            assertFalse(dump.contains(needle), "plaintext found in the database");
            assertFalse(topic.toString().contains(needle), "plaintext found on the Kafka topic");
            assertFalse(logs.contains(needle), "plaintext found in the logs");
            assertFalse(responses.toString().contains(needle), "plaintext found in a later response");
        }
    }

    /** Every text column of every table in the service's schema. */
    private static String databaseDump() throws Exception {
        StringBuilder out = new StringBuilder();
        var server = Postgres.server();
        try (Connection c = server.connect("credentials_test"); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(
                    "select table_name from information_schema.tables where table_schema = 'credentials'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("select t::text from credentials.\"" + table + "\" t")) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
