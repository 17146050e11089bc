package io.keyhook.console.api;

import static io.keyhook.console.support.ServicesStub.API;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.console.support.Browser;
import io.keyhook.console.support.ConsoleTestResources;
import io.keyhook.console.support.ServicesStub;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Registering a private_key_jwt client (pasted JWKS or JWKS URL), its page with its keys, replacing them, and its
 * scopes and token lifetime: what the console sends to credentials-service and what it shows of the answers.
 */
@QuarkusTest
@WithTestResource(value = ConsoleTestResources.class, scope = TestResourceScope.GLOBAL)
class ClientKeysPagesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String JWK = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k1\",\"alg\":\"ES256\","
            + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";
    static final String CLIENT = "{\"clientId\":\"cl_k\",\"environment\":\"env-1\",\"name\":\"Backend app\","
            + "\"status\":\"active\",\"authMethod\":\"private_key_jwt\",\"scopes\":[\"system/Patient.rs\"],"
            + "\"tokenLifetimeSeconds\":600,\"keys\":[{\"kid\":\"k1\",\"alg\":\"ES256\",\"kty\":\"EC\",\"crv\":\"P-256\","
            + "\"firstUsedAt\":\"2026-12-07T10:00:00Z\",\"lastUsedAt\":\"2026-12-07T11:00:00Z\"}]}";

    final ServicesStub stub = ServicesStub.shared();

    @TestHTTPResource("/")
    URL console;

    Browser browser;

    @BeforeEach
    void signIn() {
        stub.reset();
        browser = new Browser(console.toString()).signIn();
    }

    @Test
    void aPastedJwksIsSentAsJsonAndTheNewClientsPageListsItsKeys() throws Exception {
        stub.on("POST", API + "/clients", 201, CLIENT);
        stub.on("GET", API + "/clients/cl_k", 200, CLIENT);
        stub.on("GET", API + "/clients/cl_k/key-rotations", 200, "{\"items\":[]}");
        browser.page("/environments/env-1/credentials");

        HttpResponse<String> r = browser.submit("/environments/env-1/credentials/clients",
                Map.of("name", "Backend app", "authMethod", "private_key_jwt", "keySource", "jwks", "jwks",
                        "{\"keys\":[" + JWK + "]}", "jwksUri", ""));

        var sent = stub.requests("POST", API + "/clients").get(0).body();
        assertEquals("private_key_jwt", sent.path("authMethod").asText());
        assertEquals(JSON.readTree(JWK), sent.path("jwks").path("keys").get(0), "the JWKS goes as JSON, unchanged");
        assertFalse(sent.has("jwksUri"));
        assertTrue(r.uri().getPath().endsWith("/environments/env-1/clients/cl_k"), r.uri().toString());
        String page = r.body();
        assertTrue(page.contains("Client created."), page);
        assertTrue(page.contains("<code class=\"kid\">k1</code>"), page);
        assertTrue(page.contains("EC/P-256"), page);
        assertTrue(page.contains("2026-12-07 10:00:00 UTC") && page.contains("2026-12-07 11:00:00 UTC"),
                "first and last use: " + page);
        assertFalse(page.contains("Registered</th>"), "no registeredAt from the API, no column");
        assertTrue(page.contains("<code>system/Patient.rs</code>") && page.contains("600 seconds"), page);
        assertTrue(page.contains("/environments/env-1/key-rotations/cl_k/new?oldKid=k1"), "Rotate key: " + page);
    }

    @Test
    void aRefusedJwksUriIsShownNextToTheFieldWithEverythingEnteredKept() {
        stub.on("POST", API + "/clients", 400, "{\"status\":400,\"code\":\"jwks_uri_not_public\","
                + "\"detail\":\"jwksUri: 10.0.0.5 is not a public address\"}");
        browser.page("/environments/env-1/credentials");

        String page = browser.submit("/environments/env-1/credentials/clients",
                Map.of("name", "Backend app", "description", "the nightly job", "authMethod", "private_key_jwt",
                        "keySource", "jwksUri", "jwks", "", "jwksUri", "https://10.0.0.5/jwks.json"))
                .body();

        assertEquals("https://10.0.0.5/jwks.json",
                stub.requests("POST", API + "/clients").get(0).body().path("jwksUri").asText());
        assertTrue(page.contains("<p class=\"field-error\" id=\"jwksUri-error\">jwksUri: 10.0.0.5 is not a public"
                + " address (jwks_uri_not_public)</p>"), page);
        assertTrue(page.contains("value=\"https://10.0.0.5/jwks.json\""), "the URL is kept: " + page);
        assertTrue(page.contains("value=\"Backend app\"") && page.contains("value=\"the nightly job\""), page);
        assertTrue(page.contains("value=\"private_key_jwt\" checked") && page.contains("value=\"jwksUri\" checked"),
                "the choices are kept: " + page);
    }

    @Test
    void aJwksThatIsNotJsonIsRefusedWithoutCallingTheApiAndKept() {
        browser.page("/environments/env-1/credentials");

        String page = browser.submit("/environments/env-1/credentials/clients", Map.of("name", "Backend app",
                "authMethod", "private_key_jwt", "keySource", "jwks", "jwks", "{\"keys\": [ oops")).body();

        assertTrue(stub.requests("POST", API + "/clients").isEmpty());
        assertTrue(page.contains("id=\"jwks-error\""), page);
        assertTrue(page.contains("{&quot;keys&quot;: [ oops</textarea>"), "the text is kept, escaped: " + page);
    }

    @Test
    void aPastedPrivateKeyIsNeitherSentNorShownAgain() {
        String privateJwk = JWK.replace("\"kid\"", "\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\",\"kid\"");
        browser.page("/environments/env-1/credentials");

        String page = browser.submit("/environments/env-1/credentials/clients", Map.of("name", "Backend app",
                "authMethod", "private_key_jwt", "keySource", "jwks", "jwks", "{\"keys\":[" + privateJwk + "]}"))
                .body();

        assertTrue(stub.requests("POST", API + "/clients").isEmpty(), "not sent to credentials-service");
        assertTrue(page.contains("That is a private key"), page);
        assertFalse(page.contains("jpsQnnGQmL"), "the private key is not shown again");
        assertTrue(page.contains("value=\"Backend app\""), "the rest is kept");

        stub.on("GET", API + "/clients/cl_k", 200, CLIENT);
        stub.on("GET", API + "/clients/cl_k/key-rotations", 200, "{\"items\":[]}");
        browser.page("/environments/env-1/clients/cl_k");
        page = browser.submit("/environments/env-1/clients/cl_k/keys",
                Map.of("keySource", "jwks", "jwks", "{\"keys\":[" + privateJwk + "]}")).body();
        assertTrue(stub.requests("PATCH", API + "/clients/cl_k").isEmpty());
        assertFalse(page.contains("jpsQnnGQmL"), page);
    }

    @Test
    void aClientSecretClientIsCreatedAsBefore() {
        stub.on("POST", API + "/clients", 201, "{\"clientId\":\"cl_s\",\"authMethod\":\"client_secret\","
                + "\"secret\":{\"id\":\"sec_1\",\"value\":\"kh_once\"}}");
        browser.page("/environments/env-1/credentials");

        String page = browser.submit("/environments/env-1/credentials/clients",
                Map.of("name", "App", "authMethod", "client_secret", "keySource", "jwks", "jwks", "{\"keys\":[]}"))
                .body();

        var sent = stub.requests("POST", API + "/clients").get(0).body();
        assertEquals(JSON.createObjectNode().put("name", "App"), sent, "no key fields for a client_secret client");
        assertTrue(page.contains("value=\"kh_once\""), "the secret, once: " + page);
        assertFalse(browser.page("/environments/env-1/credentials").contains("kh_once"), "and never again");
    }

    @Test
    void registeredAtAndAgeAreShownWhenTheApiGivesThem() {
        stub.on("GET", API + "/clients/cl_k/key-rotations", 200, "{\"items\":[]}");
        stub.on("GET", API + "/clients/cl_k", 200, CLIENT);
        assertFalse(browser.page("/environments/env-1/clients/cl_k").contains("too old"));

        stub.on("GET", API + "/clients/cl_k", 200, CLIENT.replace("\"firstUsedAt\"",
                "\"registeredAt\":\"2026-12-01T08:00:00Z\",\"ageFlaggedAt\":\"2026-12-05T00:00:00Z\",\"firstUsedAt\""));

        String page = browser.page("/environments/env-1/clients/cl_k");

        assertTrue(page.contains("Registered</th>"), page);
        assertTrue(page.contains("<td data-label=\"Registered\" class=\"registered-at\">2026-12-01 08:00:00 UTC</td>"),
                page);
        assertTrue(page.contains("too old</span>") && page.contains("since 2026-12-05 00:00:00 UTC"), page);
    }

    @Test
    void aDormantKeyIsListedByItsKid() {
        stub.on("GET", API + "/dormant-credentials", 200, "{\"unusedForDays\":30,\"items\":[{\"clientId\":\"cl_k\","
                + "\"clientName\":\"Backend app\",\"secretId\":null,\"kid\":\"k-old\",\"createdAt\":null,"
                + "\"lastUsedAt\":\"2026-10-01T00:00:00Z\",\"unusedDays\":67},{\"clientId\":\"cl_s\",\"clientName\":\"App\","
                + "\"secretId\":\"sec_d\",\"kid\":null,\"lastUsedAt\":null,\"unusedDays\":40}],\"truncated\":false}");

        String page = browser.page("/environments/env-1/credentials");

        assertTrue(
                page.contains("key <code>k-old</code> of <a href=\"/environments/env-1/clients/cl_k\">Backend app</a>"
                        + " (<code>cl_k</code>): last used 2026-10-01 00:00:00 UTC, 67 days ago"),
                page);
        assertTrue(page.contains("<li id=\"dormant-sec_d\"><code>sec_d</code> of App"), page);
    }

    @Test
    void aKidOrNameWithMarkupOrControlCharactersRendersInert() {
        String evil = CLIENT.replace("\"Backend app\"", "\"<img src=x onerror=alert(1)>\\u0007app\"")
                .replace("\"kid\":\"k1\"", "\"kid\":\"<script>alert(1)</script>\\u001b[31m\\u202egnp.exe\"");
        stub.on("GET", API + "/clients", 200, "[" + evil + "]");
        stub.on("GET", API + "/clients/cl_k", 200, evil);
        stub.on("GET", API + "/clients/cl_k/key-rotations", 200, "{\"items\":[]}");

        for (String page : List.of(browser.page("/environments/env-1/clients/cl_k"),
                browser.page("/environments/env-1/credentials"))) {
            assertFalse(page.contains("<script>alert"), page);
            assertFalse(page.contains("<img src=x"), page);
            assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;\uFFFD[31m\uFFFDgnp.exe"), page);
            assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;\uFFFDapp"), page);
            assertFalse(page.chars().anyMatch(c -> c == 7 || c == 0x1b || c == 0x202e),
                    "no control or bidi character reaches the page");
        }
        // the Rotate key link carries the kid URL-encoded, so it cannot break out of its query parameter
        assertTrue(browser.page("/environments/env-1/clients/cl_k")
                .contains("oldKid=%3Cscript%3Ealert%281%29%3C%2Fscript%3E%1B%5B31m%E2%80%AEgnp.exe"));
    }

    @Test
    void replacingTheKeysPatchesTheJwksUriAndARefusalIsShownOnThePage() {
        stub.on("GET", API + "/clients/cl_k", 200, CLIENT);
        stub.on("GET", API + "/clients/cl_k/key-rotations", 200, "{\"items\":[]}");
        stub.on("PATCH", API + "/clients/cl_k", 200, CLIENT);
        browser.page("/environments/env-1/clients/cl_k");

        String page = browser.submit("/environments/env-1/clients/cl_k/keys",
                Map.of("keySource", "jwksUri", "jwksUri", "https://app.example.com/jwks.json")).body();

        assertEquals(JSON.createObjectNode().put("jwksUri", "https://app.example.com/jwks.json"),
                stub.requests("PATCH", API + "/clients/cl_k").get(0).body());
        assertTrue(page.contains("Keys replaced"), page);

        stub.on("PATCH", API + "/clients/cl_k", 400,
                "{\"status\":400,\"code\":\"jwks_kid_duplicate\",\"detail\":\"two keys have kid k1\"}");
        page = browser.submit("/environments/env-1/clients/cl_k/keys",
                Map.of("keySource", "jwks", "jwks", "{\"keys\":[" + JWK + "," + JWK + "]}")).body();
        assertTrue(page.contains("two keys have kid k1 (jwks_kid_duplicate)</p>"), page);
        assertTrue(page.contains("&quot;kid&quot;:&quot;k1&quot;"), "the pasted JWKS is kept: " + page);
    }

    @Test
    void scopesAndLifetimeArePatchedAsAListAndANumber() throws Exception {
        stub.on("GET", API + "/clients/cl_k", 200, CLIENT);
        stub.on("GET", API + "/clients/cl_k/key-rotations", 200, "{\"items\":[]}");
        stub.on("PATCH", API + "/clients/cl_k", 200, CLIENT);
        browser.page("/environments/env-1/clients/cl_k");

        browser.submit("/environments/env-1/clients/cl_k/settings",
                Map.of("scopes", " system/Patient.rs  system/Observation.r ", "tokenLifetimeSeconds", "900"));

        assertEquals(
                JSON.readTree("{\"scopes\":[\"system/Patient.rs\",\"system/Observation.r\"],"
                        + "\"tokenLifetimeSeconds\":900}"),
                stub.requests("PATCH", API + "/clients/cl_k").get(0).body());

        stub.on("PATCH", API + "/clients/cl_k", 400,
                "{\"status\":400,\"code\":\"invalid_scope\",\"detail\":\"system/Nope.r: Nope is not a data type\"}");
        String page = browser.submit("/environments/env-1/clients/cl_k/settings",
                Map.of("scopes", "system/Nope.r", "tokenLifetimeSeconds", "")).body();
        assertTrue(page.contains("id=\"scopes-error\">system/Nope.r: Nope is not a data type (invalid_scope)"), page);
        assertTrue(page.contains("value=\"system/Nope.r\""), page);
    }

    @Test
    void theNewFormsRefuseARequestWithoutTheSessionsToken() {
        stub.on("GET", API + "/clients/cl_k", 200, CLIENT);
        for (String form : List.of("/environments/env-1/clients/cl_k/keys", "/environments/env-1/clients/cl_k/settings",
                "/environments/env-1/key-rotations/cl_k", "/environments/env-1/key-rotations/cl_x/krot_1/finish",
                "/environments/env-1/key-rotations/cl_x/krot_1/cancel", "/environments/env-1/signing-keys/wh_1",
                "/environments/env-1/signing-keys/wh_1/whk_1/retire")) {
            HttpResponse<String> r = browser.post(form,
                    Map.of("_csrf", "not-the-token", "jwksUri", "https://a.example"));
            assertEquals(403, r.statusCode(), form);
        }
        assertTrue(
                stub.requests().stream().noneMatch(r -> !r.method().equals("GET") && !r.path().equals("/oauth2/token")),
                "nothing was changed: " + stub.requests());
    }
}
