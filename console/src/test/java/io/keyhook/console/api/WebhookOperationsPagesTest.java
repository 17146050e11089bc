package io.keyhook.console.api;

import static io.keyhook.console.support.ServicesStub.API;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.console.support.Browser;
import io.keyhook.console.support.ConsoleTestResources;
import io.keyhook.console.support.ServicesStub;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 31 on the Webhooks page: "Send test event" (the dispatcher's {@code POST …/test}: status, latency, the
 * receiver's answer shown inert), the tuning fields and custom headers with the API's errors next to them, the
 * operational purpose, and why a webhook is paused.
 */
@QuarkusTest
@WithTestResource(value = ConsoleTestResources.class, scope = TestResourceScope.GLOBAL)
class WebhookOperationsPagesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOOKS = API + "/webhooks";
    static final String HOOK = "{\"id\":\"wh_1\",\"url\":\"https://receiver.example.com/hook\",\"notificationTypes\":"
            + "[\"Patient.created\"],\"paused\":false,\"purpose\":\"data\",\"security\":{\"method\":"
            + "\"standard-webhooks\",\"secretIds\":[\"sec_1\"]},\"timeoutMs\":5000,\"maxInFlight\":null,"
            + "\"rateLimitPerSecond\":20,\"headers\":{\"X-Tenant\":\"acme\"}}";

    final ServicesStub stub = ServicesStub.shared();

    @TestHTTPResource("/")
    URL console;

    Browser browser;

    @BeforeEach
    void signIn() {
        stub.reset();
        stub.on("GET", HOOKS, 200, "{\"items\":[" + HOOK + "]}");
        stub.on("GET", HOOKS + "/wh_1", 200, HOOK);
        browser = new Browser(console.toString()).signIn();
    }

    @Test
    void sendTestEventShowsStatusLatencyAndTheAnswerInert() {
        stub.on("POST", API + "/webhooks/wh_1/test", 200,
                "{\"messageId\":\"msg_t1\",\"eventId\":\"evt_t1\","
                        + "\"delivered\":false,\"statusCode\":500,\"latencyMs\":42,\"error\":null,\"response\":"
                        + "\"<script>alert(1)</script>\\u001b[31mred\\u202Eevil\\nline two\"}");
        String list = browser.page("/environments/env-1/webhooks");
        assertTrue(list.contains("action=\"/environments/env-1/webhook-tests/wh_1\""), list);

        HttpResponse<String> r = browser.submit("/environments/env-1/webhook-tests/wh_1", Map.of());

        assertEquals(1, stub.requests("POST", API + "/webhooks/wh_1/test").size());
        assertTrue(r.uri().getPath().endsWith("/environments/env-1/webhook-tests/wh_1"), "redirected: " + r.uri());
        String page = r.body();
        assertTrue(page.contains("Not delivered: your receiver answered HTTP 500 in 42 ms."), page);
        assertTrue(page.contains("id=\"test-status\">HTTP 500<") && page.contains("id=\"test-latency\">42 ms<"), page);
        assertFalse(page.contains("<script>alert(1)"), page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;\uFFFD[31mred\uFFFDevil\nline two"), page);
        assertFalse(browser.page("/environments/env-1/webhook-tests/wh_1").contains("test-outcome"),
                "a reload shows no outcome and sends nothing");
        assertEquals(1, stub.requests("POST", API + "/webhooks/wh_1/test").size());
    }

    @Test
    void aRefusedTestShowsTheProblemAndAFormWithoutTheTokenIs403() {
        stub.on("POST", API + "/webhooks/wh_1/test", 404, "{\"status\":404,\"code\":\"webhook_not_found\","
                + "\"detail\":\"Webhook wh_1 <b>does not exist</b>\"}");
        browser.page("/environments/env-1/webhook-tests/wh_1");
        String page = browser.submit("/environments/env-1/webhook-tests/wh_1", Map.of()).body();
        assertTrue(page.contains("role=\"alert\">Webhook wh_1 &lt;b&gt;does not exist&lt;/b&gt;"), page);

        assertEquals(403,
                browser.post("/environments/env-1/webhook-tests/wh_1", Map.of("_csrf", "forged")).statusCode());
        assertEquals(1, stub.requests("POST", API + "/webhooks/wh_1/test").size());
    }

    @Test
    void tuningFieldsAndHeaderRowsAreSentAsTheApiNamesThem() throws Exception {
        stub.on("POST", HOOKS, 201, HOOK);
        browser.page("/environments/env-1/webhooks/new");

        browser.submit("/environments/env-1/webhooks/new", form("timeoutMs", "3000", "maxInFlight", "",
                "rateLimitPerSecond", "25", "headerName", "X-Tenant", "headerValue", "acme"));

        JsonNode body = stub.requests("POST", HOOKS).get(0).body();
        assertEquals(3000, body.path("timeoutMs").asInt());
        assertFalse(body.has("maxInFlight"), "blank = absent = the default: " + body);
        assertEquals(25, body.path("rateLimitPerSecond").asInt());
        assertEquals(JSON.readTree("{\"X-Tenant\":\"acme\"}"), body.path("headers"));
        assertFalse(body.has("purpose"), "a data webhook, the default: " + body);
        assertEquals(JSON.readTree("[\"Patient.created\"]"), body.path("notificationTypes"));
    }

    @Test
    void theApisTuningErrorsShowNextToTheFieldsWithTheInputKept() {
        stub.on("POST", HOOKS, 400, "{\"status\":400,\"code\":\"validation_failed\",\"detail\":\"invalid\","
                + "\"errors\":[{\"field\":\"rateLimitPerSecond\",\"message\":\"must be at most 500\"},"
                + "{\"field\":\"headers.Authorization\",\"message\":\"is set by Keyhook and cannot be configured\"}]}");
        browser.page("/environments/env-1/webhooks/new");

        String page = browser
                .submit("/environments/env-1/webhooks/new",
                        form("rateLimitPerSecond", "9000", "headerName", "Authorization", "headerValue", "Bearer <x>"))
                .body();

        assertTrue(page.contains("id=\"rateLimitPerSecond-message\">must be at most 500<"), page);
        assertTrue(page.contains(
                "id=\"headers-message\" aria-live=\"polite\">Authorization: is set by Keyhook and cannot be configured<"),
                page);
        assertTrue(page.contains("Deliveries per second at most: must be at most 500"), "the top message: " + page);
        assertTrue(page.contains("value=\"9000\""), page);
        assertTrue(page.contains("name=\"headerName\" value=\"Authorization\""), page);
        assertTrue(page.contains("name=\"headerValue\" value=\"Bearer &lt;x&gt;\""), page);
    }

    @Test
    void aHeaderGivenTwiceIsRefusedBeforeTheApi() {
        browser.page("/environments/env-1/webhooks/new");
        Map<String, String> f = form();
        String page = browser.post("/environments/env-1/webhooks/new",
                withCsrf(f) + "&headerName=X-A&headerValue=1" + "&headerName=x-a&headerValue=2").body();
        assertTrue(stub.requests("POST", HOOKS).isEmpty());
        assertTrue(page.contains("The header x-a is given twice"), page);
    }

    @Test
    void anOperationalWebhookIsCreatedWithoutNotificationTypes() {
        stub.on("POST", HOOKS, 201, HOOK);
        browser.page("/environments/env-1/webhooks/new");

        browser.submit("/environments/env-1/webhooks/new", form("purpose", "operational"));

        JsonNode body = stub.requests("POST", HOOKS).get(0).body();
        assertEquals("operational", body.path("purpose").asText());
        assertFalse(body.has("notificationTypes"), "an operational webhook takes none: " + body);
    }

    @Test
    void theEditFormShowsTheTuningAndSavesItWithoutThePurpose() {
        String page = browser.page("/environments/env-1/webhooks/wh_1/edit");
        assertTrue(page.contains("name=\"timeoutMs\" type=\"number\" min=\"1\" inputmode=\"numeric\" value=\"5000\""),
                page);
        assertTrue(page.contains("name=\"headerName\" value=\"X-Tenant\""), page);
        assertFalse(page.contains("name=\"purpose\""), "fixed after creation: " + page);

        stub.on("PATCH", HOOKS + "/wh_1", 200, HOOK);
        browser.submit("/environments/env-1/webhooks/wh_1/edit", form("timeoutMs", "", "maxInFlight", "",
                "rateLimitPerSecond", "20", "headerName", "", "headerValue", ""));
        JsonNode body = stub.requests("PATCH", HOOKS + "/wh_1").get(0).body();
        assertFalse(body.has("purpose"), body.toString());
        assertTrue(body.has("timeoutMs") && body.path("timeoutMs").isNull(), "emptied: back to the default: " + body);
        assertTrue(body.has("headers") && body.path("headers").isNull(), "every header removed: " + body);
        assertFalse(body.has("rateLimitPerSecond") || body.has("maxInFlight"), "unchanged: not sent: " + body);
    }

    @Test
    void anOperationalWebhooksEditSendsNoNotificationTypes() {
        String op = HOOK.replace("\"purpose\":\"data\"", "\"purpose\":\"operational\"").replace("[\"Patient.created\"]",
                "[]");
        stub.on("GET", HOOKS + "/wh_1", 200, op);
        stub.on("PATCH", HOOKS + "/wh_1", 200, op);
        String page = browser.page("/environments/env-1/webhooks/wh_1/edit");
        assertTrue(page.contains("id=\"purpose-operational\""), page);

        browser.submit("/environments/env-1/webhooks/wh_1/edit", form("purpose", "data"));
        JsonNode body = stub.requests("PATCH", HOOKS + "/wh_1").get(0).body();
        assertFalse(body.has("notificationTypes") || body.has("purpose"), body.toString());
    }

    @Test
    void theListSaysWhyAWebhookIsPaused() {
        stub.on("GET", HOOKS, 200, "{\"items\":["
                + HOOK.replace("\"paused\":false",
                        "\"paused\":true,\"pausedReason\":" + "\"failing\",\"pausedAt\":\"2026-12-01T10:00:00Z\"")
                + ","
                + HOOK.replace("wh_1", "wh_2").replace("\"paused\":false",
                        "\"paused\":true,\"pausedReason\":" + "\"manual\",\"pausedAt\":\"2026-12-02T11:00:00Z\"")
                + "]}");
        String page = browser.page("/environments/env-1/webhooks");
        assertTrue(page.contains("id=\"paused-wh_1\">paused: failing since 2026-12-01 10:00:00 UTC<"), page);
        assertTrue(page.contains("id=\"paused-wh_2\">paused since 2026-12-02 11:00:00 UTC<"), page);
        assertTrue(page.contains("timeout 5000 ms, 20/s, 1 header"), page);
        assertTrue(page.contains("href=\"/environments/env-1/gaps/wh_1\""), page);
        assertTrue(page.contains("aria-current=\"page\">Webhooks</a>"), "the current tab is marked: " + page);
    }

    /** A create/edit form with a URL, a secret and a type, and {@code extra} fields. */
    private static Map<String, String> form(String... extra) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("url", "https://receiver.example.com/hook");
        f.put("method", "standard-webhooks");
        f.put("signing", "clientSecret");
        f.put("secretIds", "sec_1");
        f.put("notificationTypes", "Patient.created");
        for (int i = 0; i < extra.length; i += 2) {
            f.put(extra[i], extra[i + 1]);
        }
        return f;
    }

    private String withCsrf(Map<String, String> f) {
        StringBuilder b = new StringBuilder("_csrf=" + browser.csrf());
        f.forEach((k, v) -> b.append('&').append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return b.toString();
    }
}
