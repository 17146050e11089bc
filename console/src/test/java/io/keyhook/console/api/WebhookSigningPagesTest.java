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
 * The webhook form's signing choices (v1a, a generated whsec_ secret, or an API client secret as before) with the
 * request fields of webhook-config-service's SecurityBody, and a webhook's signing-keys page: its keys and JWKS, "Add
 * key", "Retire" (verified: a refusal shows the ping's outcome) and "Retire anyway" with a reason.
 */
@QuarkusTest
@WithTestResource(value = ConsoleTestResources.class, scope = TestResourceScope.GLOBAL)
class WebhookSigningPagesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOOKS = API + "/webhooks";
    static final String KEYS = HOOKS + "/wh_1/signing-keys";
    static final String V1A_HOOK = "{\"id\":\"wh_1\",\"url\":\"https://receiver.example.com/hook\","
            + "\"notificationTypes\":[\"Patient.created\"],\"paused\":false,\"security\":{\"method\":"
            + "\"standard-webhooks\",\"secretIds\":[],\"signatureScheme\":\"v1a\",\"signingKeys\":[{\"id\":\"whk_a\","
            + "\"kind\":\"ed25519\",\"status\":\"active\",\"publicKey\":\"whpk_GUu3YrMgWMCBrAqpwsygOEWdjSXUgrRvN0dHKPDXJHE=\"}]}}";
    static final String V1A_KEYS = "{\"webhookId\":\"wh_1\",\"signatureScheme\":\"v1a\",\"keys\":["
            + "{\"id\":\"whk_a\",\"kind\":\"ed25519\",\"status\":\"active\",\"publicKey\":"
            + "\"whpk_GUu3YrMgWMCBrAqpwsygOEWdjSXUgrRvN0dHKPDXJHE=\",\"createdAt\":\"2026-12-07T10:00:00Z\",\"retiredAt\":null},"
            + "{\"id\":\"whk_b\",\"kind\":\"ed25519\",\"status\":\"active\",\"publicKey\":"
            + "\"whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\",\"createdAt\":\"2026-12-07T11:00:00Z\",\"retiredAt\":null}],"
            + "\"jwks\":{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"GUu3YrMgWMCBrAqpwsygOEWdjSXUgrRvN0dHKPDXJHE\","
            + "\"kid\":\"whk_a\",\"alg\":\"EdDSA\",\"use\":\"sig\"}]}}";

    final ServicesStub stub = ServicesStub.shared();

    @TestHTTPResource("/")
    URL console;

    Browser browser;

    @BeforeEach
    void signIn() {
        stub.reset();
        stub.on("GET", HOOKS + "/wh_1", 200, V1A_HOOK);
        stub.on("GET", KEYS, 200, V1A_KEYS);
        browser = new Browser(console.toString()).signIn();
    }

    @Test
    void v1aSendsTheSignatureSchemeWithoutSecretIdsAndLandsOnTheSigningKeys() throws Exception {
        stub.on("POST", HOOKS, 201, V1A_HOOK);
        browser.page("/environments/env-1/webhooks/new");

        HttpResponse<String> r = browser.submit("/environments/env-1/webhooks/new",
                Map.of("url", "https://receiver.example.com/hook", "method", "standard-webhooks", "signing", "v1a",
                        "notificationTypes", "Patient.created"));

        assertEquals(JSON.readTree("{\"method\":\"standard-webhooks\",\"signatureScheme\":\"v1a\"}"),
                stub.requests("POST", HOOKS).get(0).body().path("security"));
        assertTrue(r.uri().getPath().endsWith("/environments/env-1/signing-keys/wh_1"), r.uri().toString());
        String page = r.body();
        assertTrue(page.contains("Webhook created."), page);
        assertTrue(page.contains("<code class=\"public-key\">whpk_GUu3YrMgWMCBrAqpwsygOEWdjSXUgrRvN0dHKPDXJHE=</code>"),
                page);
        assertTrue(page.contains("&quot;kid&quot; : &quot;whk_a&quot;"), "the JWKS: " + page);
        assertTrue(page.contains(">Add key</button>") && page.contains("/signing-keys/wh_1/whk_b/retire"), page);
    }

    @Test
    void aGeneratedSecretIsShownOnceAfterCreation() {
        stub.on("POST", HOOKS, 201, "{\"id\":\"wh_1\",\"url\":\"https://receiver.example.com/hook\",\"security\":"
                + "{\"method\":\"standard-webhooks\",\"signingSecret\":\"generated\",\"signingKeys\":[{\"id\":\"whk_s\","
                + "\"kind\":\"hmac\",\"status\":\"active\",\"secret\":\"whsec_c2VjcmV0LW9uY2U=\"}]}}");
        stub.on("GET", KEYS, 200, "{\"webhookId\":\"wh_1\",\"signatureScheme\":\"v1\",\"keys\":[{\"id\":\"whk_s\","
                + "\"kind\":\"hmac\",\"status\":\"active\",\"createdAt\":\"2026-12-07T10:00:00Z\"}],\"jwks\":{\"keys\":[]}}");
        browser.page("/environments/env-1/webhooks/new");

        String page = browser
                .submit("/environments/env-1/webhooks/new",
                        Map.of("url", "https://receiver.example.com/hook", "method", "standard-webhooks", "signing",
                                "generated", "secretIds", "sec_ignored", "notificationTypes", "Patient.created"))
                .body();

        assertEquals(JSON.createObjectNode().put("method", "standard-webhooks").put("signingSecret", "generated"),
                stub.requests("POST", HOOKS).get(0).body().path("security"), "no secretIds beside its own secret");
        assertTrue(page.contains("value=\"whsec_c2VjcmV0LW9uY2U=\""), "shown once: " + page);
        assertTrue(page.contains("whsec_ secret (v1)"), page);
        assertFalse(browser.page("/environments/env-1/signing-keys/wh_1").contains("whsec_c2VjcmV0"), "never again");
    }

    @Test
    void anApiClientSecretIsSentAsBefore() throws Exception {
        stub.on("POST", HOOKS, 201,
                "{\"id\":\"wh_2\",\"security\":{\"method\":\"standard-webhooks\"," + "\"secretIds\":[\"sec_1\"]}}");
        browser.page("/environments/env-1/webhooks/new");

        HttpResponse<String> r = browser.submit("/environments/env-1/webhooks/new",
                Map.of("url", "https://receiver.example.com/hook", "method", "standard-webhooks", "signing",
                        "clientSecret", "secretIds", "sec_1", "notificationTypes", "Patient.created"));

        assertEquals(JSON.readTree("{\"method\":\"standard-webhooks\",\"secretIds\":[\"sec_1\"]}"),
                stub.requests("POST", HOOKS).get(0).body().path("security"));
        assertTrue(r.uri().getPath().endsWith("/environments/env-1/webhooks"), r.uri().toString());
    }

    @Test
    void theEditFormShowsTheWebhooksOwnSigningChosen() {
        String page = browser.page("/environments/env-1/webhooks/wh_1/edit");
        assertTrue(page.contains("value=\"v1a\" checked"), page);
        assertFalse(page.contains("value=\"clientSecret\" checked"), page);
    }

    @Test
    void addKeyShowsANewSecretOnce() {
        stub.on("POST", KEYS, 201, "{\"id\":\"whk_n\",\"kind\":\"hmac\",\"status\":\"active\","
                + "\"secret\":\"whsec_bmV3LXNlY3JldA==\"}");
        browser.page("/environments/env-1/signing-keys/wh_1");

        String page = browser.submit("/environments/env-1/signing-keys/wh_1", Map.of()).body();

        assertEquals(1, stub.requests("POST", KEYS).size());
        assertTrue(page.contains("Key added"), page);
        assertTrue(page.contains("value=\"whsec_bmV3LXNlY3JldA==\""), page);
    }

    @Test
    void aRefusedRetireShowsThePingOutcomeAndRetireAnywayNeedsAReason() throws Exception {
        stub.on("POST", KEYS + "/whk_a/retire", 409, "{\"status\":409,\"code\":\"retire_not_verified\",\"detail\":"
                + "\"The receiver did not accept a keyhook.ping signed with only the keys that stay (HTTP 401)\","
                + "\"ping\":{\"messageId\":\"msg_1\",\"delivered\":false,\"statusCode\":401,\"error\":null,"
                + "\"latencyMs\":35}}");
        browser.page("/environments/env-1/signing-keys/wh_1");

        String page = browser.submit("/environments/env-1/signing-keys/wh_1/whk_a/retire", Map.of()).body();

        assertEquals(JSON.createObjectNode(), stub.requests("POST", KEYS + "/whk_a/retire").get(0).body(),
                "a plain retire asks for the verification");
        assertTrue(page.contains("only the keys that stay (HTTP 401)"), page);
        assertTrue(page.contains("<p id=\"ping-outcome\">")
                && page.contains("your receiver answered HTTP 401 after 35 ms"), page);
        assertTrue(page.contains("action=\"/environments/env-1/signing-keys/wh_1/whk_a/retire\""), page);
        assertTrue(page.contains("Retire anyway"), page);

        page = browser
                .submit("/environments/env-1/signing-keys/wh_1/whk_a/retire", Map.of("override", "true", "reason", ""))
                .body();
        assertEquals(1, stub.requests("POST", KEYS + "/whk_a/retire").size(), "no override without a reason");
        assertTrue(page.contains("id=\"reason-error\""), page);

        stub.on("POST", KEYS + "/whk_a/retire", 200, V1A_KEYS);
        page = browser.submit("/environments/env-1/signing-keys/wh_1/whk_a/retire",
                Map.of("override", "true", "reason", "receiver switched by hand")).body();
        assertEquals(JSON.readTree("{\"override\":true,\"reason\":\"receiver switched by hand\"}"),
                stub.requests("POST", KEYS + "/whk_a/retire").get(1).body());
        assertTrue(page.contains("retired without the proof"), page);
    }

    @Test
    void aWebhookSigningWithClientSecretsHasNoKeysToAdd() {
        stub.on("GET", HOOKS + "/wh_1", 200, "{\"id\":\"wh_1\",\"url\":\"https://r.example.com\",\"security\":"
                + "{\"method\":\"standard-webhooks\",\"secretIds\":[\"sec_1\"]}}");
        stub.on("GET", KEYS, 200,
                "{\"webhookId\":\"wh_1\",\"signatureScheme\":\"v1\",\"keys\":[],\"jwks\":{\"keys\":[]}}");

        String page = browser.page("/environments/env-1/signing-keys/wh_1");

        assertTrue(page.contains("signs with API client secrets"), page);
        assertFalse(page.contains(">Add key</button>") || page.contains("with a <code>whsec_</code> secret of its own"),
                page);
    }

    @Test
    void theLastActiveKeyRefusalIsShown() {
        stub.on("POST", KEYS + "/whk_a/retire", 409, "{\"status\":409,\"code\":\"last_active_signing_key\","
                + "\"detail\":\"whk_a is the webhook's only active key\"}");
        browser.page("/environments/env-1/signing-keys/wh_1");

        String page = browser.submit("/environments/env-1/signing-keys/wh_1/whk_a/retire", Map.of()).body();

        assertTrue(page.contains("whk_a is the webhook&#39;s only active key"), page);
        assertFalse(page.contains("Retire anyway"), "nothing to override: " + page);
    }

    @Test
    void aKeyWithMarkupFromTheApiRendersInertAndAForgedKeyIdIsRefused() {
        stub.on("GET", KEYS, 200, V1A_KEYS.replace("whpk_GUu3", "<script>x</script>\\u0000whpk_GUu3"));
        String page = browser.page("/environments/env-1/signing-keys/wh_1");
        assertFalse(page.contains("<script>x"), page);
        assertTrue(page.contains("&lt;script&gt;x&lt;/script&gt;\uFFFDwhpk_GUu3"), page);

        HttpResponse<String> r = browser.submit("/environments/env-1/signing-keys/wh_1/whk_a%22%3E%3Cb%3E/retire",
                Map.of());
        assertEquals(404, r.statusCode());
        assertTrue(stub.requests().stream().noneMatch(q -> q.path().contains("/retire")));
    }

    @Test
    void theFormsRefuseARequestWithoutTheSessionsToken() {
        for (String form : List.of("/environments/env-1/signing-keys/wh_1",
                "/environments/env-1/signing-keys/wh_1/whk_a/retire")) {
            assertEquals(403, browser.post(form, Map.of("_csrf", "forged")).statusCode(), form);
        }
        assertTrue(stub.requests("POST", KEYS).isEmpty());
    }
}
