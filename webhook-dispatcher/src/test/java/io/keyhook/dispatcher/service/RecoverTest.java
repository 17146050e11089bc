package io.keyhook.dispatcher.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.view.WebhookView;
import io.keyhook.testing.Race;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Recover sends now what a webhook did not get since a moment (failed, expired, waiting for a retry), in record order,
 * never a delivered one, bounded, once per delivery however many recovers race, and audited.
 */
@QuarkusTest
class RecoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    @Inject
    WebhookView webhooks;

    @Test
    void recoverSendsWhatWasNotDeliveredInRecordOrderAndNothingDelivered() throws Exception {
        String path = "/recover-mix";
        String[] w = DeliveryFlowTest.webhookAt(path, List.of("patients.updated"));
        String env = w[0];
        Instant t = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        // record p-1: failed (1), then a newer one waiting for its retry in an hour (2); both must arrive, 1 first
        row(w, "f1", "failed", "p-1", t.plusMillis(1), null);
        row(w, "w2", "pending", "p-1", t.plusMillis(2), Instant.now().plus(1, ChronoUnit.HOURS));
        row(w, "e3", "expired", "p-3", t.plusMillis(3), null);
        row(w, "d4", "delivered", "p-4", t.plusMillis(4), null);
        row(w, "o5", "failed", "p-5", t.minus(1, ChronoUnit.HOURS), null); // before since: stays failed

        Response r = recover(env, w[1], "{\"since\":\"" + t + "\"}");
        r.then().statusCode(202).body("recovered", equalTo(3)).body("since", equalTo(t.toString())).body("held",
                equalTo(0));
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> DeliveryFlowTest.at(path).size() >= 3 && count(
                        "select count(*) from dispatcher.deliveries where webhook_id = $1 and status = 'delivered'",
                        w[1]) == 4);
        List<String> got = DeliveryFlowTest.at(path).stream().map(DeliveryFlowTest.Received::webhookId).toList();
        assertEquals(3, got.size(), "the failed, expired and waiting ones, never the delivered one: " + got);
        assertEquals(List.of("msg_f1", "msg_w2"),
                got.stream().filter(m -> m.equals("msg_f1") || m.equals("msg_w2")).toList(),
                "record p-1 in its order: the failed delivery before the newer waiting one");
        assertEquals("failed", status(id(w, "o5")), "created before since: not recovered");
        // a second recover finds nothing left to send
        recover(env, w[1], "{\"since\":\"" + t + "\"}").then().statusCode(202).body("recovered", equalTo(0));
        // audited
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> count(
                        "select count(*) from dispatcher.audit_log where environment = $1"
                                + " and action = 'deliveries.recovered' and target = $2 and result = 'success'",
                        env, w[1]) == 2);
    }

    @Test
    void sinceIsValidatedAndTheBoundRefusesWithWhereToSplit() throws Exception {
        String[] w = DeliveryFlowTest.webhookAt("/recover-bad", List.of("patients.updated"));
        String env = w[0];
        for (String[] bad : new String[][] { { "{}", "400", "since_required" },
                { "{\"since\":\"\"}", "400", "since_required" },
                { "{\"since\":\"yesterday\"}", "400", "invalid_timestamp" },
                // RFC 3339 needs an offset
                { "{\"since\":\"2026-01-01T00:00:00\"}", "400", "invalid_timestamp" },
                { "{\"since\":\"" + "9".repeat(10_000) + "\"}", "400", "invalid_timestamp" },
                { "{\"since\":\"" + Instant.now().plus(1, ChronoUnit.HOURS) + "\"}", "422", "since_in_future" },
                { "{\"since\":\"" + Instant.now().minus(31, ChronoUnit.DAYS) + "\"}", "422", "since_too_old" } }) {
            recover(env, w[1], bad[0]).then().statusCode(Integer.parseInt(bad[1]))
                    .contentType("application/problem+json").body("code", equalTo(bad[2]));
        }
        // an offset other than Z is RFC 3339 too
        recover(env, w[1],
                "{\"since\":\"" + Instant.now().minus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.ofHours(2)) + "\"}")
                        .then().statusCode(202);
        given().auth().oauth2(TestTokens.admin("elsewhere")).contentType("application/json")
                .body("{\"since\":\"2026-01-01T00:00:00Z\"}")
                .post("/api/v1/environments/" + env + "/webhooks/" + w[1] + "/recover").then().statusCode(404);

        Instant from = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        pool.preparedQuery("insert into dispatcher.deliveries (id, webhook_id, environment, event_id, msg_id, type,"
                + " ordering_key, body, status, attempts, created_at, finished_at) select 'dl_rbig' || g, $1, $2,"
                + " 'ev-rbig' || g, 'msg_rbig' || g, 'patients.updated', 'p-' || g, '{}', 'failed', 8,"
                + " $3 + g * interval '1 millisecond', now() from generate_series(1, 10001) g")
                .execute(Tuple.of(w[1], env, from.atOffset(ZoneOffset.UTC))).await().atMost(Duration.ofSeconds(60));
        Instant split = from.plusMillis(10_001);
        recover(env, w[1], "{\"since\":\"" + from + "\"}").then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("recover_too_large"))
                .body("count", equalTo(10_001)).body("maxDeliveries", equalTo(10_000))
                .body("suggestedTo", equalTo(split.toString())).body("detail", containsString(split.toString()));
        assertEquals(0L,
                count("select count(*) from dispatcher.deliveries where webhook_id = $1 and status <> 'failed'", w[1]),
                "a refused recover changes nothing");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> count(
                        "select count(*) from dispatcher.audit_log where environment = $1"
                                + " and action = 'deliveries.recovered' and result = 'refused:recover_too_large'",
                        env) == 1);
    }

    @Test
    void recoversAtOnceSendEachDeliveryOnceAndHeldOnesStayHeld() throws Exception {
        String path = "/recover-race";
        String[] w = DeliveryFlowTest.webhookAt(path, List.of("patients.updated"));
        String env = w[0];
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 1; i <= 40; i++) {
            row(w, "race" + i, i % 2 == 0 ? "failed" : "expired", "p-" + (i % 7), t.plusMillis(i), null);
        }
        for (int i = 41; i <= 50; i++) {
            row(w, "race" + i, "pending", "p-" + (i % 7), t.plusMillis(i), Instant.now().plus(2, ChronoUnit.HOURS));
        }
        List<Integer> counts = new CopyOnWriteArrayList<>();
        List<Runnable> ops = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ops.add(() -> counts.add(recover(env, w[1], "{\"since\":\"" + t + "\"}").then().statusCode(202).extract()
                    .<Integer> path("recovered")));
        }
        try (Race race = new Race(5, 31L)) {
            race.run(ops);
        }
        assertEquals(50, counts.stream().mapToInt(Integer::intValue).sum(),
                "each delivery is made due by exactly one of the recovers: " + counts);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> count("select count(*) from dispatcher.deliveries where webhook_id = $1 and status = 'delivered'",
                        w[1]) == 50);
        Map<String, Long> times = DeliveryFlowTest.at(path).stream()
                .collect(Collectors.groupingBy(DeliveryFlowTest.Received::webhookId, Collectors.counting()));
        assertEquals(50, times.size());
        assertEquals(List.of(1L), times.values().stream().distinct().toList(), "each sent once: " + times);

        // a paused webhook: its held deliveries stay held, and the answer says how many
        publish(w, path, true, 2);
        row(w, "held1", "held", "p-9", Instant.now().minusSeconds(60), null);
        recover(env, w[1], "{\"since\":\"" + t + "\"}").then().statusCode(202).body("recovered", equalTo(0))
                .body("held", equalTo(1));
        assertEquals("held", status(id(w, "held1")));
    }

    private static Response recover(String env, String webhookId, String body) {
        return given().auth().oauth2(TestTokens.admin(env)).contentType("application/json").body(body)
                .post("/api/v1/environments/" + env + "/webhooks/" + webhookId + "/recover");
    }

    /**
     * A delivery {@code dl_<tag>_<webhook>} (webhook-id {@code msg_<tag>}) in {@code status}, of record {@code key}.
     */
    private void row(String[] w, String tag, String status, String key, Instant created, Instant next) {
        boolean finished = !status.equals("pending") && !status.equals("held");
        pool.preparedQuery("insert into dispatcher.deliveries (id, webhook_id, environment, event_id, msg_id, type,"
                + " ordering_key, body, status, attempts, next_attempt_at, created_at, finished_at) values ($1, $2, $3,"
                + " $4, $5, 'patients.updated', $6, $7, $8, $9, $10, $11, $12)")
                .execute(Tuple.from(new Object[] { id(w, tag), w[1], w[0], "ev-" + tag, "msg_" + tag, key,
                        "{\"n\":\"" + tag + "\"}", status, status.equals("held") ? 0 : 3,
                        next == null ? null : next.atOffset(ZoneOffset.UTC), created.atOffset(ZoneOffset.UTC),
                        finished ? Instant.now().atOffset(ZoneOffset.UTC) : null }))
                .await().atMost(Duration.ofSeconds(10));
    }

    /** Unique across test classes sharing the database. */
    private static String id(String[] w, String tag) {
        return "dl_" + tag + "_" + w[1];
    }

    private String status(String id) {
        return pool.preparedQuery("select status from dispatcher.deliveries where id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }

    private void publish(String[] w, String path, boolean paused, int version) throws Exception {
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", w[1], JSON.writeValueAsString(Map
                .of("schemaVersion", 1, "id", w[1], "environment", w[0], "url", DeliveryFlowTest.RECEIVER.url() + path,
                        "notificationTypes", List.of("patients.updated"), "paused", paused, "security", Map.of("method",
                                "standard-webhooks", "secretIds", List.of(DeliveryFlowTest.SECRET_IDS.get(path))),
                        "version", version)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            WebhookState s = webhooks.webhook(w[1]);
            return s != null && s.paused() == paused;
        });
    }

    private long count(String sql, Object... args) {
        Function<Object, Object> at = a -> a instanceof Instant i ? i.atOffset(ZoneOffset.UTC) : a;
        return pool.preparedQuery(sql).execute(Tuple.from(java.util.Arrays.stream(args).map(at).toArray())).await()
                .atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
    }
}
