package io.keyhook.console.api;

import static io.keyhook.console.support.ServicesStub.API;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keyhook.console.support.Browser;
import io.keyhook.console.support.ConsoleTestResources;
import io.keyhook.console.support.ServicesStub;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 31 on the Deliveries page: the search (resourceId, eventId, messageId, status) with keyset paging, a delivery's
 * attempts with the receiver's answers shown inert, Recover, finding an event by id, the dropped events with their ids,
 * and a webhook's gap manifest.
 */
@QuarkusTest
@WithTestResource(value = ConsoleTestResources.class, scope = TestResourceScope.GLOBAL)
class DeliveryOperationsPagesTest {

    static final String HOOK = "{\"id\":\"wh_1\",\"url\":\"https://receiver.example.com/hook\",\"notificationTypes\":"
            + "[\"Patient.created\"],\"paused\":false,\"security\":{\"method\":\"standard-webhooks\",\"secretIds\":[]}}";
    static final String LOG = API + "/webhooks/wh_1/deliveries";
    static final String DELIVERY = "{\"id\":\"dlv_1\",\"webhookId\":\"wh_1\",\"eventId\":\"evt 1&x\","
            + "\"webhookMessageId\":\"msg_1\",\"type\":\"Patient.created\",\"status\":\"failed\",\"attempts\":2,"
            + "\"createdAt\":\"2026-12-07T10:00:00Z\",\"resourceId\":\"pat-<7>\",\"lastAttempt\":{\"attempt\":2,"
            + "\"statusCode\":503,\"latencyMs\":80}}";

    final ServicesStub stub = ServicesStub.shared();

    @TestHTTPResource("/")
    URL console;

    Browser browser;

    @BeforeEach
    void signIn() {
        stub.reset();
        stub.on("GET", API + "/webhooks", 200, "{\"items\":[" + HOOK + "]}");
        stub.on("GET", LOG, 200,
                "{\"items\":[" + DELIVERY + "],\"nextCursor\":\"c_2\",\"breaker\":{\"state\":" + "\"closed\"}}");
        stub.on("GET", API + "/dropped-events/recent", 200, "{\"items\":[],\"nextCursor\":null}");
        browser = new Browser(console.toString()).signIn();
    }

    @Test
    void theSearchSendsEveryFilterAndPagesByTheCursor() {
        String page = browser.page("/environments/env-1/deliveries?webhook=wh_1&status=failed&resourceId=pat-7"
                + "&eventId=evt_9&messageId=msg_3&type=Patient.created");

        ServicesStub.Request sent = stub.requests("GET", LOG).get(0);
        assertEquals("failed", sent.param("status"));
        assertEquals("pat-7", sent.param("resourceId"));
        assertEquals("evt_9", sent.param("eventId"));
        assertEquals("msg_3", sent.param("messageId"));
        assertEquals("Patient.created", sent.param("type"));
        assertTrue(page.contains("<code title=\"resource id\">pat-&lt;7&gt;</code>"), page);
        assertTrue(page.contains("href=\"/environments/env-1/deliveries/wh_1/dlv_1\""), "links its attempts: " + page);
        assertTrue(page.contains("href=\"/environments/env-1/events?id=evt+1%26x\""), "follows the event: " + page);
        String next = "/environments/env-1/deliveries?webhook=wh_1&amp;status=failed&amp;type=Patient.created"
                + "&amp;resourceId=pat-7&amp;eventId=evt_9&amp;messageId=msg_3&amp;cursor=c_2";
        assertTrue(page.contains("id=\"next-page\" href=\"" + next + "\""), page);

        browser.page(next.replace("&amp;", "&"));
        assertEquals("c_2", stub.requests("GET", LOG).stream().filter(r -> r.param("cursor") != null).findFirst()
                .orElseThrow().param("cursor"), "the next page asks for the cursor, with the same filters");
    }

    @Test
    void aDeliveryShowsEachAttemptWithTheAnswerInert() {
        stub.on("GET", LOG + "/dlv_1", 200, DELIVERY.replace("}}", "},\"attemptLog\":[{\"attempt\":1,\"startedAt\":"
                + "\"2026-12-07T10:00:01Z\",\"latencyMs\":31,\"statusCode\":500,\"error\":null,\"response\":"
                + "\"<img src=x onerror=alert(1)>\\u001b[2J\"},{\"attempt\":2,\"startedAt\":\"2026-12-07T10:00:31Z\","
                + "\"latencyMs\":null,\"statusCode\":null,\"error\":\"connect timed out\",\"response\":null}]}"));

        String page = browser.page("/environments/env-1/deliveries/wh_1/dlv_1");

        assertTrue(page.contains("<tr id=\"attempt-1\">"), page);
        assertTrue(page.contains("HTTP 500") && page.contains("31 ms"), page);
        assertFalse(page.contains("<img src=x"), page);
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;\uFFFD[2J"), page);
        assertTrue(page.contains("connect timed out"), page);
        assertTrue(page.contains("<code>msg_1</code>"), "its webhook-id: " + page);
    }

    @Test
    void recoverSendsTheStartAsRfc3339AndShowsHowManyWentOut() {
        stub.on("POST", API + "/webhooks/wh_1/recover", 202,
                "{\"recovered\":7,\"since\":\"2026-12-06T08:30:00Z\",\"held\":2}");
        String page = browser.page("/environments/env-1/deliveries?webhook=wh_1");
        assertTrue(page.contains("action=\"/environments/env-1/deliveries/wh_1/recover\""), page);

        page = browser.submit("/environments/env-1/deliveries/wh_1/recover", Map.of("since", "2026-12-06T08:30"))
                .body();

        assertEquals("2026-12-06T08:30:00Z",
                stub.requests("POST", API + "/webhooks/wh_1/recover").get(0).body().path("since").asText());
        assertTrue(page.contains("7 delivery(ies) not yet delivered are on their way now"), page);
        assertTrue(page.contains("2 held one(s) of the paused webhook stay held until you resume it."), page);
    }

    @Test
    void aRefusedRecoverShowsTheProblemAndKeepsTheStart() {
        stub.on("POST", API + "/webhooks/wh_1/recover", 422, "{\"status\":422,\"code\":\"recover_too_large\","
                + "\"detail\":\"12000 deliveries: recover at most 10000 at once\"}");
        browser.page("/environments/env-1/deliveries?webhook=wh_1");
        String page = browser.submit("/environments/env-1/deliveries/wh_1/recover", Map.of("since", "2026-12-01T00:00"))
                .body();
        assertTrue(page.contains("12000 deliveries: recover at most 10000 at once"), page);
        assertTrue(page.contains("id=\"since\" name=\"since\" type=\"datetime-local\" value=\"2026-12-01T00:00\""),
                page);

        page = browser.submit("/environments/env-1/deliveries/wh_1/recover", Map.of("since", "yesterday")).body();
        assertEquals(1, stub.requests("POST", API + "/webhooks/wh_1/recover").size(), "not a date: not sent");
        assertTrue(page.contains("Give the start of the recovery as a date and time (UTC)."), page);
        assertEquals(403, browser.post("/environments/env-1/deliveries/wh_1/recover",
                Map.of("_csrf", "forged", "since", "2026-12-01T00:00")).statusCode());
    }

    @Test
    void findAnEventShowsItsDeliveriesOrWhyItWentNowhere() {
        stub.on("GET", API + "/events/evt_1", 200, "{\"eventId\":\"evt_1\",\"environment\":\"env-1\",\"type\":"
                + "\"Patient.created\",\"subject\":\"Patient/7\",\"resourceId\":\"7\",\"receivedAt\":"
                + "\"2026-12-07T10:00:00Z\",\"disposition\":\"delivered_to_webhooks\",\"reason\":null,\"detail\":null,"
                + "\"deliveries\":[{\"webhookId\":\"wh_1\",\"deliveryId\":\"dlv_1\",\"status\":\"held\",\"attempts\":0,"
                + "\"lastStatus\":null,\"lastAttemptAt\":null,\"reason\":\"paused\"}]}");
        String page = browser.page("/environments/env-1/events?id=evt_1");
        assertTrue(page.contains("Delivered to 1 webhook."), page);
        assertTrue(page.contains("href=\"/environments/env-1/deliveries/wh_1/dlv_1\""), page);
        assertTrue(page.contains("held</span> (paused)"), page);

        stub.on("GET", API + "/events/evt_2", 200, "{\"eventId\":\"evt_2\",\"type\":\"Lab.created\",\"disposition\":"
                + "\"dropped\",\"reason\":\"not_opted_in\",\"detail\":\"<no> webhook opted in\",\"deliveries\":[]}");
        page = browser.page("/environments/env-1/events?id=evt_2");
        assertTrue(page.contains("It went to no webhook: no webhook opted into its type (not_opted_in)."), page);
        assertTrue(page.contains("&lt;no&gt; webhook opted in"), page);

        stub.on("GET", API + "/events/evt_3", 404,
                "{\"status\":404,\"code\":\"event_not_found\",\"detail\":" + "\"No event evt_3 in this Environment\"}");
        page = browser.page("/environments/env-1/events?id=evt_3");
        assertTrue(page.contains("id=\"event-not-found\">No event evt_3 in this Environment<"), page);
    }

    @Test
    void theDroppedEventsAreListedWithTheirIdsByReason() {
        stub.on("GET", API + "/dropped-events/recent", 200,
                "{\"items\":[{\"eventId\":\"evt_<d>\",\"disposition\":"
                        + "\"dropped\",\"reason\":\"not_opted_in\",\"type\":\"Lab.created\",\"resourceId\":\"lab-1\","
                        + "\"receivedAt\":\"2026-12-07T09:00:00Z\"}],\"nextCursor\":\"d_2\"}");

        String page = browser.page("/environments/env-1/events?reason=not_opted_in");

        assertEquals("not_opted_in", stub.requests("GET", API + "/dropped-events/recent").get(0).param("reason"));
        assertTrue(page.contains("href=\"/environments/env-1/events?id=evt_%3Cd%3E\"><code>evt_&lt;d&gt;</code>"),
                page);
        assertTrue(page.contains("href=\"/environments/env-1/events?reason=not_opted_in&amp;cursor=d_2#dropped\""),
                page);
    }

    @Test
    void theGapManifestListsWhatTheReceiverMissed() {
        stub.on("GET", API + "/webhooks/wh_1/gaps", 200, "{\"webhookId\":\"wh_1\",\"since\":\"2026-12-01T00:00:00Z\","
                + "\"generatedAt\":\"2026-12-07T12:00:00Z\",\"items\":[{\"resource\":\"Patient\",\"resourceId\":"
                + "\"<p>7\",\"type\":\"Patient.updated\",\"lastEventAt\":\"2026-12-05T10:00:00Z\",\"lastEventId\":"
                + "\"evt_9\",\"reason\":\"expired\",\"deliveryId\":\"dlv_9\"}],\"nextCursor\":null}");

        String page = browser.page("/environments/env-1/gaps/wh_1?since=2026-12-01T00:00");

        ServicesStub.Request sent = stub.requests("GET", API + "/webhooks/wh_1/gaps").get(0);
        assertEquals("2026-12-01T00:00:00Z", sent.param("since"));
        assertTrue(page.contains("<code>&lt;p&gt;7</code>"), page);
        assertTrue(page.contains("status-expired"), page);
        assertTrue(page.contains("href=\"/environments/env-1/deliveries/wh_1/dlv_9\""), page);
        assertFalse(page.contains("id=\"gaps-next\""), page);

        browser.page("/environments/env-1/gaps/wh_1");
        assertTrue(stub.requests("GET", API + "/webhooks/wh_1/gaps").get(1).param("since").endsWith(":00Z"),
                "a week back by default");
    }

    @Test
    void theNewPagesAnswer404ForAnotherEnvironment() {
        for (String path : List.of("/environments/env-2/events", "/environments/env-2/gaps/wh_1",
                "/environments/env-2/deliveries/wh_1/dlv_1", "/environments/env-2/activity",
                "/environments/env-2/notification-settings", "/environments/env-2/webhook-tests/wh_1")) {
            assertEquals(404, browser.get(path).statusCode(), path);
        }
    }
}
