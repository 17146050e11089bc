package io.keyhook.console.api;

import static io.keyhook.console.support.ServicesStub.API;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
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
 * The guided key rotation of a private_key_jwt client against credentials-service's key-rotation API (the shape agreed
 * for issue 30): start with a pasted public JWK, the two checks, finish, finish anyway with a reason, cancel.
 */
@QuarkusTest
@WithTestResource(value = ConsoleTestResources.class, scope = TestResourceScope.GLOBAL)
class KeyRotationPagesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROTATIONS = API + "/clients/cl_k/key-rotations";
    static final String NEW_JWK = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k2\","
            + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    static final String OPEN = "{\"id\":\"krot_1\",\"clientId\":\"cl_k\",\"oldKid\":\"k1\",\"newKid\":\"k2\","
            + "\"status\":\"open\",\"startedAt\":\"2026-12-07T10:00:00Z\",\"finishedAt\":null,\"override\":null,"
            + "\"checks\":[{\"name\":\"new_key_used\",\"passed\":true,\"detail\":\"k2 last used 2026-12-07T10:01:00Z\"},"
            + "{\"name\":\"old_key_quiet\",\"passed\":false,\"detail\":\"k1 was used 2 minutes ago; quiet for 10m first\","
            + "\"quietSince\":\"2026-12-07T10:02:00Z\"}]}";

    final ServicesStub stub = ServicesStub.shared();

    @TestHTTPResource("/")
    URL console;

    Browser browser;

    @BeforeEach
    void signIn() {
        stub.reset();
        stub.on("GET", API + "/clients/cl_k", 200, ClientKeysPagesTest.CLIENT);
        stub.on("GET", ROTATIONS, 200, "{\"items\":[" + OPEN + "]}");
        stub.on("GET", ROTATIONS + "/krot_1", 200, OPEN);
        browser = new Browser(console.toString()).signIn();
    }

    @Test
    void startingSendsTheOldKidAndTheNewJwkThenShowsBothChecksWithTheirDetail() throws Exception {
        stub.on("POST", ROTATIONS, 201, OPEN);
        String form = browser.page("/environments/env-1/key-rotations/cl_k/new?oldKid=k1");
        assertTrue(form.contains("<option value=\"k1\" selected>"), form);

        HttpResponse<String> r = browser.submit("/environments/env-1/key-rotations/cl_k",
                Map.of("oldKid", "k1", "newKey", NEW_JWK));

        assertEquals(JSON.readTree("{\"oldKid\":\"k1\",\"newKey\":" + NEW_JWK + "}"),
                stub.requests("POST", ROTATIONS).get(0).body());
        assertTrue(r.uri().getPath().endsWith("/key-rotations/cl_k/krot_1"), r.uri().toString());
        String page = r.body();
        assertTrue(page.contains("Rotation started"), page);
        assertTrue(page.contains("<li id=\"check-new_key_used\">✓"), page);
        assertTrue(page.contains("k2 last used 2026-12-07T10:01:00Z"), page);
        assertTrue(page.contains("<li id=\"check-old_key_quiet\">✗"), page);
        assertTrue(
                page.contains("k1 was used 2 minutes ago; quiet for 10m first (quiet since 2026-12-07 10:02:00 UTC)"),
                page);
        assertTrue(
                page.contains("Finish anyway") && page.contains("Check now") && page.contains("Cancel the rotation"));
        // the client page lists the rotation
        assertTrue(browser.page("/environments/env-1/clients/cl_k").contains("/key-rotations/cl_k/krot_1"));
    }

    @Test
    void aRefusedNewKeyIsShownNextToItWithThePastedKeyKept() {
        stub.on("POST", ROTATIONS, 400,
                "{\"status\":400,\"code\":\"invalid_jwks\",\"detail\":\"kid k1 is already registered\"}");
        browser.page("/environments/env-1/key-rotations/cl_k/new?oldKid=k1");

        String page = browser.submit("/environments/env-1/key-rotations/cl_k",
                Map.of("oldKid", "k1", "newKey", NEW_JWK.replace("k2", "k1"))).body();

        assertTrue(page.contains("id=\"newKey-error\">kid k1 is already registered (invalid_jwks)</p>"), page);
        assertTrue(page.contains("&quot;kid&quot;:&quot;k1&quot;"), "the pasted key is kept: " + page);

        stub.on("POST", ROTATIONS, 409, "{\"status\":409,\"code\":\"key_rotation_in_progress\","
                + "\"detail\":\"cl_k has an open key rotation: finish or cancel it first\"}");
        page = browser.submit("/environments/env-1/key-rotations/cl_k", Map.of("oldKid", "k1", "newKey", NEW_JWK))
                .body();
        assertTrue(page.contains("<p class=\"error\" role=\"alert\">cl_k has an open key rotation"), page);
    }

    @Test
    void aOneKeyJwksIsSentAsTheJwkAndAPrivateKeyIsNotSentAtAll() throws Exception {
        stub.on("POST", ROTATIONS, 201, OPEN);
        browser.page("/environments/env-1/key-rotations/cl_k/new?oldKid=k1");

        browser.submit("/environments/env-1/key-rotations/cl_k",
                Map.of("oldKid", "k1", "newKey", "{\"keys\":[" + NEW_JWK + "]}"));
        assertEquals(JSON.readTree(NEW_JWK), stub.requests("POST", ROTATIONS).get(0).body().path("newKey"));

        browser.page("/environments/env-1/key-rotations/cl_k/new?oldKid=k1");
        String page = browser
                .submit("/environments/env-1/key-rotations/cl_k", Map.of("oldKid", "k1", "newKey",
                        NEW_JWK.replace("\"x\"", "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\",\"x\"")))
                .body();
        assertEquals(1, stub.requests("POST", ROTATIONS).size(), "the private key was not sent");
        assertTrue(page.contains("That is a private key") && !page.contains("nWGxne_9"), page);
    }

    @Test
    void checkNowRunsTheChecksAgain() {
        browser.page("/environments/env-1/key-rotations/cl_k/krot_1");
        stub.on("GET", ROTATIONS + "/krot_1", 200, OPEN.replace("\"passed\":false", "\"passed\":true"));

        String page = browser.page("/environments/env-1/key-rotations/cl_k/krot_1?done=checked");

        assertEquals(2, stub.requests("GET", ROTATIONS + "/krot_1").size());
        assertTrue(page.contains("Both checks pass"), page);
        assertTrue(page.contains("<li id=\"check-old_key_quiet\">✓"), page);
    }

    @Test
    void aRefusedFinishShowsTheFailingChecksFromTheProblem() {
        stub.on("POST", ROTATIONS + "/krot_1/finish", 409, "{\"status\":409,\"code\":\"rotation_not_verified\","
                + "\"detail\":\"The rotation is not verified\",\"checks\":[{\"name\":\"new_key_used\",\"passed\":true,"
                + "\"detail\":\"ok\"},{\"name\":\"old_key_quiet\",\"passed\":false,"
                + "\"detail\":\"k1 <b>used</b> 30 seconds ago\"}]}");
        browser.page("/environments/env-1/key-rotations/cl_k/krot_1");

        String page = browser.submit("/environments/env-1/key-rotations/cl_k/krot_1/finish", Map.of()).body();

        assertEquals(JSON.createObjectNode(), stub.requests("POST", ROTATIONS + "/krot_1/finish").get(0).body(),
                "a plain finish asks for the verification");
        assertTrue(page.contains("The rotation is not verified"), page);
        assertTrue(page.contains("<section class=\"card\" aria-labelledby=\"refused-title\" id=\"finish-refused\">"));
        assertTrue(page.contains("✗ Your App stopped using the old key: k1 &lt;b&gt;used&lt;/b&gt; 30 seconds ago"),
                page);
        assertFalse(page.contains("✗ Your App signed a token request with the new key: ok"), "only failing ones");
    }

    @Test
    void finishAnywayNeedsAReasonAndSendsTheOverride() throws Exception {
        browser.page("/environments/env-1/key-rotations/cl_k/krot_1");
        String page = browser.submit("/environments/env-1/key-rotations/cl_k/krot_1/finish",
                Map.of("override", "true", "reason", "  ")).body();
        assertTrue(stub.requests("POST", ROTATIONS + "/krot_1/finish").isEmpty(), "no override without a reason");
        assertTrue(page.contains("needs a reason"), page);

        stub.on("POST", ROTATIONS + "/krot_1/finish", 200, OPEN);
        stub.on("GET", ROTATIONS + "/krot_1", 200, OPEN.replace("\"open\"", "\"finished\"").replace("\"override\":null",
                "\"override\":{\"reason\":\"App redeployed\",\"by\":\"adm_test\",\"at\":\"2026-12-07T10:05:00Z\"}"));
        page = browser.submit("/environments/env-1/key-rotations/cl_k/krot_1/finish",
                Map.of("override", "true", "reason", " App redeployed ")).body();

        assertEquals(JSON.readTree("{\"override\":true,\"reason\":\"App redeployed\"}"),
                stub.requests("POST", ROTATIONS + "/krot_1/finish").get(0).body());
        assertTrue(page.contains("Finished: the old key is no longer registered."), page);
        assertTrue(page.contains("by <code>adm_test</code> at 2026-12-07 10:05:00 UTC: “App redeployed”"), page);
        assertFalse(page.contains("Finish anyway"), "a finished rotation offers no action");
    }

    @Test
    void cancelPostsToTheApiAndARefusalIsShown() {
        stub.on("POST", ROTATIONS + "/krot_1/cancel", 409, "{\"status\":409,\"code\":\"new_key_in_use\","
                + "\"detail\":\"k2 has been used: finish the rotation instead\"}");
        browser.page("/environments/env-1/key-rotations/cl_k/krot_1");

        String page = browser.submit("/environments/env-1/key-rotations/cl_k/krot_1/cancel", Map.of()).body();

        assertEquals(1, stub.requests("POST", ROTATIONS + "/krot_1/cancel").size());
        assertTrue(page.contains("k2 has been used: finish the rotation instead"), page);
    }
}
