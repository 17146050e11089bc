package io.keyhook.dispatcher.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.dispatcher.messaging.EventRouter;
import io.keyhook.dispatcher.service.DeliveryFlowTest;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The delivery log is searched by record, event id, webhook-id and status, for one webhook or the whole Environment, a
 * page at a time; a cursor that is not one of ours is the caller's mistake (400), never a server error.
 */
@QuarkusTest
class DeliverySearchTest {

    @Inject
    Pool pool;

    private static JsonPath get(String env, String url) {
        return given().auth().oauth2(TestTokens.admin(env)).get(url).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void deliveriesAreFoundByRecordEventAndWebhookIdWithKeysetPages() throws Exception {
        String[] w = DeliveryFlowTest.webhookAt("/searched", List.of("patients.updated"));
        String env = w[0];
        DeliveryFlowTest.event(env, "s1", "patients.updated", "p-1");
        DeliveryFlowTest.event(env, "s2", "patients.updated", "p-2");
        DeliveryFlowTest.event(env, "s3", "patients.updated", "p-1");
        DeliveryFlowTest.event(env, "s4", "patients.updated", "p-3");
        String mine = "/api/v1/environments/" + env + "/webhooks/" + w[1] + "/deliveries";
        String all = "/api/v1/environments/" + env + "/deliveries";
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> get(env, mine + "?status=delivered").getList("items").size() == 4);
        // another webhook of the Environment with a delivery of the same record
        pool.preparedQuery("insert into dispatcher.deliveries (id, webhook_id, environment, event_id, msg_id, type,"
                + " ordering_key, body, status, attempts, created_at, finished_at, resource_id) values ($1, 'wh_other',"
                + " $2, 's9', 'msg_other', 'patients.updated', 'p-1', '{}', 'failed', 8, now(), now(), 'p-1')")
                .execute(Tuple.of("dl_other_" + env, env)).await().indefinitely();

        // (the log's order is the order deliveries were stored in: across records, not always the events' order)
        JsonPath p1 = get(env, mine + "?resourceId=p-1");
        assertEquals(List.of("s3", "s1"), p1.getList("items.eventId"), "the record's deliveries, newest first");
        assertEquals(List.of("p-1", "p-1"), p1.getList("items.resourceId"));
        assertEquals(List.of("s2"), get(env, mine + "?eventId=s2").getList("items.eventId"));
        assertEquals(List.of("s4"),
                get(env, mine + "?messageId=" + EventRouter.msgId(w[1], "s4")).getList("items.eventId"));
        assertEquals(List.of("s3", "s1"), get(env, mine + "?resourceId=p-1&status=delivered").getList("items.eventId"));
        assertEquals(List.of(), get(env, mine + "?resourceId=p-1&status=failed").getList("items"));

        assertEquals(List.of("s9", "s3", "s1"), get(env, all + "?resourceId=p-1").getList("items.eventId"),
                "Environment-wide: every webhook's deliveries of the record");
        assertEquals(List.of("s3", "s1"), get(env, all + "?resourceId=p-1&webhookId=" + w[1]).getList("items.eventId"));
        assertEquals(List.of("s9"), get(env, all + "?status=failed").getList("items.eventId"));
        assertEquals(List.of("wh_other"), get(env, all + "?messageId=msg_other").getList("items.webhookId"));
        assertEquals(List.of("s2"), get(env, all + "?eventId=s2").getList("items.eventId"));

        // keyset pages: 5 deliveries by 2 are the one page of 50, in order; the last page has no cursor (limit + 1)
        List<Object> whole = get(env, all).getList("items.eventId");
        assertEquals(5, whole.size());
        List<Object> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = get(env, all + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(page.getList("items.eventId"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(whole, seen);
        assertEquals(3, pages);
        // exactly one page's worth: no cursor to an empty page
        given().auth().oauth2(TestTokens.admin(env)).get(mine + "?limit=4").then().body("items", hasSize(4))
                .body("nextCursor", nullValue());
        given().auth().oauth2(TestTokens.admin(env)).get(mine + "?limit=3").then().body("items", hasSize(3))
                .body("nextCursor", notNullValue()).body("breaker.state", equalTo("closed"));

        String past = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("d1:99999999999999999999".getBytes(StandardCharsets.US_ASCII));
        String negative = Base64.getUrlEncoder().encodeToString("d1:-5".getBytes(StandardCharsets.US_ASCII));
        for (String url : new String[] { all + "?cursor=abc", all + "?cursor=" + "A".repeat(2000),
                all + "?cursor=" + past, all + "?cursor=" + negative, all + "?cursor=12", mine + "?cursor=%00",
                mine + "?cursor=" + past }) {
            given().auth().oauth2(TestTokens.admin(env)).get(url).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_cursor"));
        }
        for (String url : new String[] { all + "?limit=0", all + "?limit=501", all + "?limit=x" }) {
            given().auth().oauth2(TestTokens.admin(env)).get(url).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("invalid_query_parameter"));
        }
        for (String url : new String[] { all + "?resourceId=a%01b", all + "?eventId=" + "e".repeat(300),
                all + "?status=lost", all + "?webhookId=not%20a%20webhook", mine + "?messageId=%0a" }) {
            // sent as written: %01 and %0a reach the service as control characters
            given().urlEncodingEnabled(false).auth().oauth2(TestTokens.admin(env)).get(url).then().statusCode(422)
                    .contentType("application/problem+json").body("code", equalTo("validation_failed"));
        }
        given().auth().oauth2(TestTokens.admin("elsewhere")).get(all).then().statusCode(404);
        given().auth().oauth2(TestTokens.operator()).get(all).then().statusCode(403);
        given().get(all).then().statusCode(401);
    }
}
