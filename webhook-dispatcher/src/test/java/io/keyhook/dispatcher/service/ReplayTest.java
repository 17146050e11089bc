package io.keyhook.dispatcher.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.view.WebhookView;
import io.keyhook.testing.Race;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Replay is bounded ({@code keyhook.dispatcher.replay.max-deliveries}), queues what it sends again behind what the
 * webhook already has pending, in record order, and never takes more than the webhook's own slots (so it cannot delay
 * another webhook).
 */
@QuarkusTest
class ReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    @Inject
    DispatcherConfig config;

    @Inject
    WebhookView webhooks;

    @Test
    void aReplayOfMoreThanTheBoundIsRefusedWithItsCountAndWhereToSplitIt() throws Exception {
        String[] w = DeliveryFlowTest.webhookAt("/replay-bound", List.of("patients.updated"));
        String env = w[0];
        Instant from = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        Instant to = from.plus(1, ChronoUnit.HOURS);
        insert(w[1], env, "big", 10_001, "delivered", from, false);

        Response refused = replay(env, w[1], from, to);
        Instant split = from.plusMillis(10_001);
        refused.then().statusCode(422).contentType("application/problem+json").body("code", equalTo("replay_too_large"))
                .body("count", equalTo(10_001)).body("maxDeliveries", equalTo(10_000))
                .body("suggestedTo", equalTo(split.toString())).body("detail", containsString("10001"))
                .body("detail", containsString("10000")).body("detail", containsString(split.toString()));
        assertEquals(0L,
                count("select count(*) from dispatcher.deliveries where webhook_id = $1 and status = 'pending'", w[1]),
                "a refused replay queues nothing");
        // following the advice stays within the bound: the first part holds exactly the bound
        assertEquals(10_000L,
                count("select count(*) from dispatcher.deliveries where webhook_id = $1 and created_at >= $2"
                        + " and created_at < $3", w[1], from, split));

        // the rest of the range is under the bound and goes out
        replay(env, w[1], split, to).then().statusCode(200).body("replayed", equalTo(1));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> DeliveryFlowTest.at("/replay-bound").stream()
                .anyMatch(r -> r.webhookId().equals("msg_big10001")));
    }

    @Test
    void replayedDeliveriesQueueBehindTheWebhooksPendingOnesInRecordOrder() throws Exception {
        String path = "/replay-order";
        String[] w = DeliveryFlowTest.webhookAt(path, List.of("patients.updated"));
        String env = w[0];
        pause(w, path, true, 2);
        // five old deliveries of one record, delivered an hour ago; three newer ones of the same record held since
        Instant old = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        insert(w[1], env, "old", 5, "delivered", old, true);
        insert(w[1], env, "new", 3, "held", Instant.now().minus(1, ChronoUnit.MINUTES), true);

        replay(env, w[1], old, old.plus(30, ChronoUnit.MINUTES)).then().statusCode(200).body("replayed", equalTo(5));
        pause(w, path, false, 3);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> DeliveryFlowTest.at(path).size() >= 8);
        assertEquals(
                List.of("msg_new1", "msg_new2", "msg_new3", "msg_old1", "msg_old2", "msg_old3", "msg_old4", "msg_old5"),
                DeliveryFlowTest.at(path).stream().map(DeliveryFlowTest.Received::webhookId).toList(),
                "the replayed deliveries go out after the webhook's pending ones, in their own original order");
    }

    // a receiver host shared by two webhooks: one being replayed to (its answers held for a while), and another
    static final AtomicInteger REPLAYED_IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger REPLAYED_MOST_IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger REPLAYED_RECEIVED = new AtomicInteger();
    static final CountDownLatch OTHER_ARRIVED = new CountDownLatch(1);
    static final List<String> OTHER_RECEIVED = new CopyOnWriteArrayList<>();
    static final StubHttpServer SHARED_HOST = new StubHttpServer(ex -> {
        String p = ex.getRequestURI().getPath();
        ex.getRequestBody().readAllBytes();
        if (p.equals("/replayed")) {
            REPLAYED_RECEIVED.incrementAndGet();
            REPLAYED_MOST_IN_FLIGHT.accumulateAndGet(REPLAYED_IN_FLIGHT.incrementAndGet(), Math::max);
            try {
                // a slow receiver until the other webhook's delivery got through; under the 4 s attempt deadline, so
                // what is in flight here is exactly what the dispatcher has in flight
                OTHER_ARRIVED.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                REPLAYED_IN_FLIGHT.decrementAndGet();
            }
        } else {
            OTHER_RECEIVED.add(ex.getRequestHeaders().getFirst("webhook-id"));
            OTHER_ARRIVED.countDown();
        }
        StubHttpServer.respond(ex, 200, "{}");
    });

    @Test
    void aReplayTakesOnlyItsWebhooksOwnSlotsSoAnotherWebhookIsNotDelayed() throws Exception {
        String[] replayed = DeliveryFlowTest.webhookAt(SHARED_HOST.url(), "/replayed", List.of("patients.updated"));
        String[] other = DeliveryFlowTest.webhookAt(SHARED_HOST.url(), "/other", List.of("patients.updated"));
        Instant old = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        insert(replayed[1], replayed[0], "many", 300, "delivered", old, false);

        replay(replayed[0], replayed[1], old, old.plus(30, ChronoUnit.MINUTES)).then().statusCode(200).body("replayed",
                equalTo(300));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> REPLAYED_RECEIVED.get() > 0);
        DeliveryFlowTest.event(other[0], "live-1", "patients.updated", "p-1");

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !OTHER_RECEIVED.isEmpty());
        int perWebhook = config.delivery().perWebhookConcurrency();
        assertTrue(REPLAYED_MOST_IN_FLIGHT.get() <= perWebhook,
                "the replay had " + REPLAYED_MOST_IN_FLIGHT.get() + " attempts in flight at once to the shared host;"
                        + " a webhook has " + perWebhook + " slots, the host's connection pool is shared");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                () -> count("select count(*) from dispatcher.deliveries where webhook_id = $1 and status = 'delivered'"
                        + " and attempts = 2", replayed[1]) == 300);
    }

    @Test
    void replaysOfTheSameRangeAtOnceAndLiveEventsLoseAndDoubleNothing() throws Exception {
        String path = "/replay-race";
        String[] w = DeliveryFlowTest.webhookAt(path, List.of("patients.updated"));
        String env = w[0];
        Instant old = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        insert(w[1], env, "raced", 50, "delivered", old, false);
        // paused while the requests race, so no replayed delivery is delivered (and replayable again) before the
        // last replay has run: each one must be queued by exactly one of them
        pause(w, path, true, 2);

        List<Integer> replayedCounts = new CopyOnWriteArrayList<>();
        List<Runnable> ops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ops.add(() -> replayedCounts.add(replay(env, w[1], old, old.plus(30, ChronoUnit.MINUTES)).then()
                    .statusCode(200).extract().<Integer> path("replayed")));
        }
        ops.add(() -> {
            try {
                for (int i = 1; i <= 10; i++) {
                    DeliveryFlowTest.event(env, "live-" + i, "patients.updated", "p-" + i);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Race race = new Race(5, 28L)) {
            race.run(ops);
        }
        assertEquals(50, replayedCounts.stream().mapToInt(Integer::intValue).sum(),
                "every delivery is queued again by exactly one of the replays: " + replayedCounts);
        pause(w, path, false, 3);

        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(1, 50).forEach(i -> expected.add("msg_raced" + i));
        IntStream.rangeClosed(1, 10)
                .forEach(i -> expected.add(io.keyhook.dispatcher.messaging.EventRouter.msgId(w[1], "live-" + i)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> count("select count(*) from dispatcher.deliveries where webhook_id = $1 and status = 'delivered'",
                        w[1]) == 60 && DeliveryFlowTest.at(path).size() >= 60);
        Map<String, Long> times = DeliveryFlowTest.at(path).stream()
                .collect(Collectors.groupingBy(DeliveryFlowTest.Received::webhookId, Collectors.counting()));
        assertEquals(expected.stream().sorted().toList(), times.keySet().stream().sorted().toList());
        assertEquals(Map.of(), times.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "each sent once");
        assertEquals(50L,
                count("select count(*) from dispatcher.deliveries where webhook_id = $1 and attempts = 2", w[1]),
                "each replayed delivery has exactly one new attempt");
    }

    private static Response replay(String env, String webhookId, Instant from, Instant to) {
        return given().auth().oauth2(TestTokens.admin(env)).contentType("application/json")
                .body(Map.of("from", from.toString(), "to", to.toString()))
                .post("/api/v1/environments/" + env + "/webhooks/" + webhookId + "/replay");
    }

    /** Publishes the webhook paused or not, and waits until the dispatcher's view has it. */
    private void pause(String[] w, String path, boolean paused, int version) throws Exception {
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

    /**
     * {@code n} deliveries {@code tag1..tagN} (msg ids {@code msg_<tag><i>}) stored in that order, created 1 ms apart
     * after {@code firstCreated}; of one record when {@code oneRecord}, else each of its own.
     */
    private void insert(String webhookId, String env, String tag, int n, String status, Instant firstCreated,
            boolean oneRecord) {
        pool.preparedQuery("insert into dispatcher.deliveries (id, webhook_id, environment, event_id, msg_id, type,"
                + " ordering_key, body, status, attempts, created_at, finished_at)"
                + " select 'dl_' || $3 || g, $1, $2, 'ev-' || $3 || g, 'msg_' || $3 || g, 'patients.updated',"
                + " case when $4 then 'p-1' else 'p-' || g end, '{\"type\":\"patients.updated\",\"n\":' || g || '}',"
                + " $5, case when $5 = 'held' then 0 else 1 end, $6 + g * interval '1 millisecond',"
                + " case when $5 = 'held' then null else now() end from generate_series(1, $7) g order by g")
                .execute(Tuple.from(new Object[] { webhookId, env, tag, oneRecord, status,
                        firstCreated.atOffset(ZoneOffset.UTC), n }))
                .await().atMost(Duration.ofSeconds(60));
    }

    private long count(String sql, Object... args) {
        Function<Object, Object> at = a -> a instanceof Instant i ? i.atOffset(ZoneOffset.UTC) : a;
        return pool.preparedQuery(sql).execute(Tuple.from(java.util.Arrays.stream(args).map(at).toArray())).await()
                .atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
    }
}
