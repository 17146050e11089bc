package io.keyhook.console.api;

import static io.keyhook.console.support.ServicesStub.API;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
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

/** The activity feed (webhook-config-service's {@code …/activity}) and the notification addresses form. */
@QuarkusTest
@WithTestResource(value = ConsoleTestResources.class, scope = TestResourceScope.GLOBAL)
class ActivityAndNotificationPagesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SETTINGS = API + "/notification-settings";

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
    void theFeedShowsOperationalEventsNewestFirstWithTheirDataInert() {
        stub.on("GET", API + "/activity", 200, "{\"items\":[{\"id\":\"opev_failing_wh_1\",\"type\":"
                + "\"keyhook.webhook.failing\",\"time\":\"2026-12-07T10:00:00Z\",\"subject\":\"wh_1\",\"data\":"
                + "{\"webhookId\":\"wh_1\",\"consecutiveFailures\":12,\"lastError\":\"<script>x</script>\\u202E\"},"
                + "\"receivedAt\":\"2026-12-07T10:00:01Z\"},{\"id\":\"opev_exhausted_dlv_1\",\"type\":"
                + "\"keyhook.delivery.exhausted\",\"time\":\"2026-12-07T09:00:00Z\",\"subject\":\"wh_1\",\"data\":"
                + "{\"webhookId\":\"wh_1\",\"deliveryId\":\"dlv_1\",\"status\":\"failed\"}}],\"nextCursor\":\"a_2\"}");

        String page = browser.page("/environments/env-1/activity?type=keyhook.webhook.failing");

        assertEquals("keyhook.webhook.failing", stub.requests("GET", API + "/activity").get(0).param("type"));
        assertTrue(page.contains("A webhook is failing") && page.contains("A delivery ended without reaching"), page);
        assertTrue(page.indexOf("A webhook is failing") < page.indexOf("A delivery ended"), "as the API orders them");
        assertFalse(page.contains("<script>x"), page);
        assertTrue(page.contains("&lt;script&gt;x&lt;/script&gt;\uFFFD"), page);
        assertTrue(page.contains("<dt>consecutiveFailures</dt><dd>12</dd>"), page);
        assertTrue(page.contains("href=\"/environments/env-1/deliveries?webhook=wh_1\""), page);
        assertTrue(page.contains("id=\"activity-next\" href=\"/environments/env-1/activity?type=keyhook.webhook.failing"
                + "&amp;cursor=a_2\""), page);
        assertTrue(page.contains("aria-current=\"page\">Activity</a>"), page);
    }

    @Test
    void aQuietFeedAndAnApiProblemAreShown() {
        stub.on("GET", API + "/activity", 200, "{\"items\":[],\"nextCursor\":null}");
        assertTrue(browser.page("/environments/env-1/activity").contains("id=\"no-activity\""));

        stub.on("GET", API + "/activity", 503, "{\"status\":503,\"code\":\"unavailable\",\"detail\":\"try later\"}");
        assertTrue(browser.page("/environments/env-1/activity").contains("role=\"alert\">try later<"));
    }

    @Test
    void theAddressesAreShownAndSavedOneALine() throws Exception {
        stub.on("GET", SETTINGS, 200, "{\"emails\":[\"ops@example.org\",\"oncall@example.org\"]}");
        String page = browser.page("/environments/env-1/notification-settings");
        assertTrue(page.contains(">ops@example.org\noncall@example.org</textarea>"), page);

        stub.on("PUT", SETTINGS, 200, "{\"emails\":[\"ops@example.org\",\"dev@example.org\"]}");
        page = browser.submit("/environments/env-1/notification-settings",
                Map.of("emails", " ops@example.org\r\n\r\ndev@example.org, ")).body();

        assertEquals(JSON.readTree("{\"emails\":[\"ops@example.org\",\"dev@example.org\"]}"),
                stub.requests("PUT", SETTINGS).get(0).body());
        assertTrue(page.contains("Notification addresses saved."), page);
    }

    @Test
    void aRefusedAddressIsShownNextToTheFieldWithTheInputKept() {
        stub.on("GET", SETTINGS, 200, "{\"emails\":[]}");
        stub.on("PUT", SETTINGS, 400, "{\"status\":400,\"code\":\"validation_failed\",\"detail\":\"invalid\","
                + "\"errors\":[{\"field\":\"emails[1]\",\"message\":\"not an e-mail address\"}]}");
        browser.page("/environments/env-1/notification-settings");

        String page = browser
                .submit("/environments/env-1/notification-settings", Map.of("emails", "ops@example.org\n<x>")).body();

        assertTrue(page.contains("id=\"emails-message\" aria-live=\"polite\">&lt;x&gt;: not an e-mail address<"),
                "names the address: " + page);
        assertTrue(page.contains(">ops@example.org\n&lt;x&gt;</textarea>"), page);
        assertEquals(403, browser
                .post("/environments/env-1/notification-settings", Map.of("_csrf", "forged", "emails", "a@example.org"))
                .statusCode());
        assertEquals(1, stub.requests("PUT", SETTINGS).size());
    }
}
