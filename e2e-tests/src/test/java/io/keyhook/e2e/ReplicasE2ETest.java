package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.TopicReader;

/**
 * Scale-out on one PostgreSQL and one broker: 2 credentials-services, 3 token-services, 2 webhook-config-services and 3
 * dispatchers ({@code keyhook.data-changes} has 12 partitions). Every change is made through one replica and checked on
 * all the others within its documented bound; the per-replica limits hold at most N times; the once-only jobs run once;
 * a replica of each kind killed with {@code kill -9} loses nothing. docs/operations.md ("Running several replicas")
 * states each bound. Runs in the plain e2e pass (the secured pass has the same code paths).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasE2ETest {

    /** Invalidation, disable and admin revocation reach every replica within a second (docs/security.md). */
    static final long PROPAGATION_MS = 1_000;
    /** A pause or a webhook change reaches every dispatcher within this (the webhooks view follows a topic). */
    static final long WEBHOOK_CHANGE_MS = 2_000;
    /** A killed dispatcher's partitions move after keyhook.dispatcher.kafka.session-timeout (10 s). */
    static final long DISPATCHER_FAILOVER_MS = 10_000;

    Suite suite;
    Setup setup;
    final List<ServiceProcess> extras = new ArrayList<>();
    final List<ServiceProcess> credentials = new ArrayList<>();
    final List<ServiceProcess> tokens = new ArrayList<>();
    final List<ServiceProcess> webhooks = new ArrayList<>();
    final List<ServiceProcess> dispatchers = new ArrayList<>();
    final ArrivalsReceiver receiver = new ArrivalsReceiver();

    @BeforeAll
    void startReplicas() throws Exception {
        Assumptions.assumeFalse("secured".equals(System.getProperty("keyhook.e2e.run")),
                "the replica harness runs in the plain pass");
        suite = Suite.get();
        setup = Setup.of(suite);
        credentials.add(suite.credentials);
        tokens.add(suite.tokens);
        webhooks.add(suite.webhooks);
        dispatchers.add(suite.dispatcher);
        extra(credentials, "credentials-service", 2);
        extra(tokens, "token-service", 2);
        extra(tokens, "token-service", 3);
        extra(webhooks, "webhook-config-service", 2);
        extra(dispatchers, "webhook-dispatcher", 2);
        extra(dispatchers, "webhook-dispatcher", 3);
        ExecutorService starting = Executors.newFixedThreadPool(extras.size());
        try {
            List<Future<?>> started = new ArrayList<>();
            for (ServiceProcess p : extras) {
                started.add(starting.submit(p::start));
            }
            for (Future<?> f : started) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            starting.shutdownNow();
        }
        try (var admin = KafkaBroker.shared().admin()) {
            assertEquals(12, admin.describeTopics(List.of(Suite.DATA_CHANGES)).allTopicNames().get()
                    .get(Suite.DATA_CHANGES).partitions().size(), "keyhook.data-changes partitions");
        }
    }

    private void extra(List<ServiceProcess> kind, String service, int n) {
        ServiceProcess p = new ServiceProcess(service, service + "-replica" + n, ServiceProcess.freePort(), suite.env,
                suite.logs);
        kind.add(p);
        extras.add(p);
    }

    @AfterAll
    void stopReplicas() {
        extras.forEach(ServiceProcess::stop);
        receiver.close();
    }

    /**
     * The customer journey with each step through the next replica of its service: the Environment through
     * credentials-service 2, the app's client through 1, its token from token-service 3, the webhook through
     * webhook-config-service 2 (which has to learn the Environment from the topic or ask credentials-service), and the
     * delivery log read through every dispatcher, whichever delivered it.
     */
    @Test
    @Order(0)
    void theCustomerJourneyWorksWithEachStepThroughAnotherReplica() throws Exception {
        String env = "repjourney-" + io.keyhook.core.crypto.SecretGenerator.newId("").toLowerCase().substring(0, 6);
        admin().body(Map.of("dataTypes", List.of("patients")))
                .put(credentials.get(1).url() + "/api/v1/configurations/" + env).then().statusCode(201);
        admin().body(Map.of("id", env, "name", "Replicas journey", "configuration", env))
                .post(credentials.get(1).url() + "/api/v1/environments").then().statusCode(201);
        var app = admin().body(Map.of("name", "the app"))
                .post(credentials.get(0).url() + "/api/v1/environments/" + env + "/clients").then().statusCode(201)
                .extract();
        String clientId = app.path("clientId");
        String secretId = app.path("secret.id");
        String token = tokenFrom(tokens.get(2), clientId, app.path("secret.value"));
        assertEquals(true, given().auth().preemptive().basic(clientId, (String) app.path("secret.value"))
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(tokens.get(1).url() + "/oauth2/introspect").then().statusCode(200).extract().path("active"),
                "a token of replica 3 is active for replica 2");
        String webhook = admin()
                .body(Map.of("url", receiver.url("/journey/" + env), "notificationTypes", List.of("patients.updated"),
                        "security", Map.of("method", "standard-webhooks", "secretIds", List.of(secretId))))
                .post(webhooks.get(1).url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(201)
                .extract().path("id");
        waitUntilDelivered(Map.of(env, webhook), "journey");
        // the delivery log is written in batches after the send, so it may trail the receiver by a moment
        for (ServiceProcess d : dispatchers) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> admin()
                            .get(d.url() + "/api/v1/environments/" + env + "/webhooks/" + webhook + "/deliveries")
                            .then().statusCode(200).body("items.size()", org.hamcrest.Matchers.greaterThan(0)));
        }
    }

    @Test
    @Order(1)
    void aCredentialChangeThroughOneReplicaHoldsOnEveryTokenReplica() throws Exception {
        // every outbox relay hears commits (LISTEN), so a change goes out when it commits, not at the next interval
        List<ServiceProcess> relays = new ArrayList<>(credentials);
        relays.addAll(tokens);
        relays.addAll(webhooks);
        for (ServiceProcess p : relays) {
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> java.util.regex.Pattern.compile("(?m)^keyhook_outbox_listening(\\{[^}]*\\})? 1\\.0$")
                            .matcher(given().get(p.url() + "/q/metrics").asString()).find());
        }
        String env = setup.environment("repcred", "Replicas credentials", "patients");
        Setup.Client c = setup.client(env, "replicated");
        // a secret made through the second credentials-service works at once on every token replica
        var second = admin()
                .post(credentials.get(1).url() + "/api/v1/environments/" + env + "/clients/" + c.id() + "/secrets")
                .then().statusCode(201).extract();
        String secondValue = second.path("value");
        for (ServiceProcess t : tokens) {
            assertEquals(200, tokenStatus(t, c.id(), secondValue), "new secret on " + t);
            assertEquals(200, tokenStatus(t, c.id(), c.secretValue()), "first secret on " + t);
        }

        long invalidated = timed(() -> admin().post(credentials.get(1).url() + "/api/v1/environments/" + env
                + "/clients/" + c.id() + "/secrets/" + c.secretId() + "/invalidate").then().statusCode(200));
        long refused = awaitEverywhere(tokens, t -> tokenStatus(t, c.id(), c.secretValue()) == 401, invalidated);
        report("secret invalidated through credentials-service 2: refused by all 3 token replicas", refused);
        assertTrue(refused <= PROPAGATION_MS, "invalidation took " + refused + " ms");
        for (ServiceProcess t : tokens) {
            assertEquals(200, tokenStatus(t, c.id(), secondValue), "the other secret still works on " + t);
        }

        long disabled = timed(
                () -> admin().delete(credentials.get(0).url() + "/api/v1/environments/" + env + "/clients/" + c.id())
                        .then().statusCode(200));
        long gone = awaitEverywhere(tokens, t -> tokenStatus(t, c.id(), secondValue) == 401, disabled);
        report("client disabled through credentials-service 1: refused by all 3 token replicas", gone);
        assertTrue(gone <= PROPAGATION_MS, "disable took " + gone + " ms");
    }

    @Test
    @Order(2)
    void anAdminRevokedThroughOneReplicaIsRefusedByEveryReplica() throws Exception {
        String env = setup.environment("repadmin", "Replicas admin", "patients");
        Setup.Client a = setup.adminClient("replicated admin", List.of("integration-admin"), List.of(env));
        String token = tokenFrom(tokens.get(2), a.id(), a.secretValue());
        List<String> urls = new ArrayList<>();
        credentials.forEach(p -> urls.add(p.url() + "/api/v1/environments/" + env + "/clients"));
        webhooks.forEach(p -> urls.add(p.url() + "/api/v1/environments/" + env + "/webhooks"));
        tokens.forEach(p -> urls.add(p.url() + "/api/v1/environments/" + env + "/token-audit"));
        dispatchers.forEach(p -> urls.add(p.url() + "/api/v1/environments/" + env + "/breakers"));
        for (String url : urls) {
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> given().auth().oauth2(token).get(url).statusCode() == 200);
        }
        // RFC 7009 through the second token replica
        long revoked = timed(() -> given().auth().preemptive().basic(a.id(), a.secretValue())
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(tokens.get(1).url() + "/oauth2/revoke").then().statusCode(200));
        long slowest = awaitEverywhere(urls, url -> given().auth().oauth2(token).get(url).statusCode() == 401, revoked);
        report("admin token revoked through token-service 2: refused by all " + urls.size() + " replicas", slowest);
        assertTrue(slowest <= PROPAGATION_MS, "revocation took " + slowest + " ms");
    }

    @Test
    @Order(3)
    void pauseAndWebhookChangesThroughEitherReplicaHoldOnEveryDispatcher() throws Exception {
        Map<String, String> hooks = webhooksOnSixEnvironments("reppause");
        // every dispatcher must own some of these Environments' partitions, or the test proves nothing
        waitUntilDelivered(hooks, "warm");

        int i = 0;
        long paused = 0;
        for (var h : hooks.entrySet()) {
            ServiceProcess via = webhooks.get(i++ % 2);
            paused = timed(() -> admin()
                    .post(via.url() + "/api/v1/environments/" + h.getKey() + "/webhooks/" + h.getValue() + "/pause")
                    .then().statusCode(200));
        }
        ServiceProcess.sleep(Math.max(0, WEBHOOK_CHANGE_MS - (System.nanoTime() - paused) / 1_000_000));
        Set<String> held = publishOnePerEnvironment(hooks.keySet(), "held");
        // once the delivery log holds every one as held, none can go out before the resume: no fixed wait needed
        Awaitility.await("every event published while paused is held").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Set<String> logged = new HashSet<>();
                    for (var h : hooks.entrySet()) {
                        logged.addAll(admin()
                                .get(dispatchers.get(0).url() + "/api/v1/environments/" + h.getKey() + "/webhooks/"
                                        + h.getValue() + "/deliveries?status=held")
                                .then().statusCode(200).extract().jsonPath().getList("items.eventId", String.class));
                    }
                    return logged.containsAll(held);
                });
        assertEquals(Set.of(), receiver.arrived(held), "a paused webhook received nothing, from any dispatcher");

        // resume and move every webhook to another path, each through the other replica
        i = 1;
        long changed = 0;
        for (var h : hooks.entrySet()) {
            ServiceProcess via = webhooks.get(i++ % 2);
            String base = via.url() + "/api/v1/environments/" + h.getKey() + "/webhooks/" + h.getValue();
            admin().body(Map.of("url", receiver.url("/moved/" + h.getKey()))).patch(base).then().statusCode(200);
            changed = timed(() -> admin().post(base + "/resume").then().statusCode(200));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.arrived(held).size() == held.size());
        ServiceProcess.sleep(Math.max(0, WEBHOOK_CHANGE_MS - (System.nanoTime() - changed) / 1_000_000));
        Set<String> moved = publishOnePerEnvironment(hooks.keySet(), "moved");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.arrived(moved).size() == moved.size());
        for (String id : moved) {
            assertTrue(receiver.path(id).startsWith("/moved/"), id + " went to " + receiver.path(id));
        }
    }

    @Test
    @Order(4)
    void failureLimitsArePerReplicaSoNReplicasAllowAtMostNTimesTheLimit() throws Exception {
        String env = setup.environment("replimit", "Replicas limits", "patients");
        Setup.Client victim = setup.client(env, "guessed");
        String from = LoopbackHttp.address(150);
        int limit = 20; // keyhook.token.limits.failed-authentication.max
        AtomicInteger refusedWith401 = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
        try {
            List<Future<?>> guessers = new ArrayList<>();
            for (ServiceProcess t : tokens) {
                guessers.add(pool.submit(() -> {
                    for (int n = 0; n < limit + 5; n++) {
                        int s = LoopbackHttp
                                .tokenRequest(from, t.url() + "/oauth2/token", victim.id(), "whsec_guess" + n).status();
                        assertTrue(s == 401 || s == 429, "a guess answered " + s);
                        if (s == 401) {
                            refusedWith401.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> g : guessers) {
                g.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("RESULT limits: %d guesses were checked by %d token replicas before every one blocked the"
                + " pair (limit %d per replica)%n", refusedWith401.get(), tokens.size(), limit);
        assertTrue(refusedWith401.get() <= tokens.size() * limit, "at most N x limit: " + refusedWith401);
        for (ServiceProcess t : tokens) {
            assertEquals(429,
                    LoopbackHttp.tokenRequest(from, t.url() + "/oauth2/token", victim.id(), "whsec_again").status(),
                    "the pair is blocked on " + t);
            assertEquals(200, LoopbackHttp
                    .tokenRequest(from, t.url() + "/oauth2/token", victim.id(), victim.secretValue()).status(),
                    "the correct secret is never locked out, on " + t);
        }
    }

    @Test
    @Order(5)
    void theOutboxRelaysPublishEachChangeOnce() {
        String env = setup.environment("repoutbox", "Replicas outbox", "patients");
        Setup.Client c = setup.client(env, "published");
        // four more changes, alternating between the two credentials-services
        for (int n = 0; n < 3; n++) {
            admin().post(
                    credentials.get(n % 2).url() + "/api/v1/environments/" + env + "/clients/" + c.id() + "/secrets")
                    .then().statusCode(201);
        }
        admin().post(credentials.get(1).url() + "/api/v1/environments/" + env + "/clients/" + c.id() + "/secrets/"
                + c.secretId() + "/invalidate").then().statusCode(200);
        Supplier<List<String>> records = () -> TopicReader.readAll("keyhook.credentials").stream()
                .filter(r -> c.id().equals(r.key())).map(ConsumerRecord::value).toList();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> records.get().size() >= 5);
        ServiceProcess.sleep(2_000);
        List<String> published = records.get();
        assertEquals(5, published.size(), "one record per change, none twice: " + published.size());
        assertEquals(5, new HashSet<>(published).size(), "no record published twice");
    }

    @Test
    @Order(6)
    void aGuidedRotationIsFinishedOnceByTheJobOfTwoReplicas() {
        String env = setup.environment("reprot", "Replicas rotation", "patients");
        Setup.Client c = setup.client(env, "rotated");
        // a receiver that answers: the job finishes a rotation only once its verification ping gets a 2xx
        io.keyhook.testing.StubHttpServer receiver = new io.keyhook.testing.StubHttpServer(ex -> {
            ex.getRequestBody().readAllBytes();
            io.keyhook.testing.StubHttpServer.respond(ex, 204, "");
        });
        String webhook = setup.webhook(env, receiver.url() + "/rotated", "standard-webhooks", c.secretId());
        String rotation = admin().body(Map.of("clientId", c.id(), "secretId", c.secretId(), "finishAfter", "PT2S"))
                .post(webhooks.get(1).url() + "/api/v1/environments/" + env + "/rotations").then().statusCode(201)
                .extract().path("id");
        // both replicas run the job every second (KEYHOOK_WEBHOOKS_ROTATION_CHECK_INTERVAL=1s)
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "done".equals(admin()
                .get(webhooks.get(0).url() + "/api/v1/environments/" + env + "/rotations/" + rotation).path("state")));
        ServiceProcess.sleep(3_000);
        List<String> actions = admin().get(webhooks.get(0).url() + "/api/v1/environments/" + env + "/webhook-audit")
                .jsonPath().getList("items.findAll { it.target == '" + rotation + "' }.action");
        assertEquals(1, actions.stream().filter("rotation.finish"::equals).count(), actions.toString());
        assertEquals(1, actions.stream().filter("rotation.done"::equals).count(), actions.toString());
        admin().get(webhooks.get(1).url() + "/api/v1/environments/" + env + "/webhooks/" + webhook).then()
                .statusCode(200);
    }

    @Test
    @Order(7)
    void everyTokenReplicaPublishesANewSigningKeyBeforeAnyReplicaSignsWithIt() throws Exception {
        String rotated = given().auth().oauth2(setup.operator())
                .post(tokens.get(0).url() + "/api/v1/signing-keys/rotate").then().statusCode(200).extract().path("kid");
        // from the first token it signs, every replica's JWKS must carry the new key
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String signedWith = null;
        while (System.nanoTime() < deadline) {
            for (ServiceProcess t : tokens) {
                String kid = kidOf(tokenFrom(t, Suite.OPERATOR_ID, Suite.OPERATOR_SECRET));
                for (ServiceProcess other : tokens) {
                    List<String> published = given().get(other.url() + "/.well-known/jwks.json").jsonPath()
                            .getList("keys.kid");
                    assertTrue(published.contains(kid),
                            t + " signed with " + kid + " while " + other + " published only " + published);
                }
                if (rotated.equals(kid)) {
                    signedWith = kid;
                }
            }
            if (signedWith != null) {
                break;
            }
        }
        assertEquals(rotated, signedWith, "the new key signs within 10 s");
    }

    @Test
    @Order(8)
    void aGuidedRotationUnderLoadThroughSeveralReplicasLosesNothingAndFailsNoVerification() throws Exception {
        AtomicInteger turn = new AtomicInteger();
        // every token call of the procedure goes to the next token replica
        try (RotationHarness h = new RotationHarness(() -> tokens.get(turn.getAndIncrement() % tokens.size()).url())) {
            String oldToken = h.token(h.clientId, h.oldValue);
            h.awaitDeliveries("deliveries before the rotation", 25);
            String rotations = "/api/v1/environments/" + h.env + "/rotations";
            // started through webhook-config-service 2
            var started = h.admin().body(Map.of("clientId", h.clientId, "secretId", h.oldId))
                    .post(webhooks.get(1).url() + rotations).then().statusCode(201).extract();
            String rotationId = started.path("id");
            String newId = started.path("newSecret.id");
            h.newKey = started.path("newSecret.value");
            for (ServiceProcess t : tokens) {
                assertEquals(200, tokenStatus(t, h.clientId, h.newKey), "the new secret at once on " + t);
            }
            String newToken = h.token(h.clientId, h.newKey);
            h.receiverKeys.add(h.newKey);
            // one rotation at a time, whichever replica is asked; the old secret stays while the webhook signs with it
            h.admin().body(Map.of("clientId", h.clientId, "secretId", h.oldId)).post(webhooks.get(0).url() + rotations)
                    .then().statusCode(409).body("code", org.hamcrest.Matchers.equalTo("rotation_in_progress"));
            h.admin()
                    .post(credentials.get(1).url() + "/api/v1/environments/" + h.env + "/clients/" + h.clientId
                            + "/secrets/" + h.oldId + "/invalidate")
                    .then().statusCode(409).body("code", org.hamcrest.Matchers.equalTo("secret_in_use"));
            h.awaitDeliveries("deliveries while both secrets sign", 50);
            // finished through webhook-config-service 1: every token replica refuses the old secret
            // this measures propagation, not verification (GuidedRotationE2ETest): finished with a recorded override
            long finished = timed(() -> h.admin()
                    .body(Map.of("override", true, "reason", "replicas test: propagation of the invalidation"))
                    .post(webhooks.get(0).url() + rotations + "/" + rotationId + "/finish").then().statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("done")));
            long refused = awaitEverywhere(tokens, t -> tokenStatus(t, h.clientId, h.oldValue) == 401, finished);
            report("guided rotation finished through webhook-config-service 1: old secret refused by all 3 token"
                    + " replicas", refused);
            assertTrue(refused <= PROPAGATION_MS, "the old secret was refused after " + refused + " ms");
            for (ServiceProcess t : tokens) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !h.introspect(t.url(), oldToken));
                assertTrue(h.introspect(t.url(), newToken), "the new secret's tokens stay active on " + t);
            }
            h.receiverDropsOldKeyWhenSafe();
            h.awaitDeliveries("deliveries go on after the old key is gone", 25);
            h.finish("guided rotation under load, through 2 webhook-config-services and 3 token-services", refused);
        }
    }

    @Test
    @Order(9)
    void hostileInputThroughEveryReplicaIsRefusedClearlyAndStopsNoOtherTenant() throws Exception {
        // the API replicas: control characters, a 64 KB value and broken JSON get problem+json, on each one
        String env = setup.environment("rephostile", "Replicas hostile", "patients");
        Setup.Client c = setup.client(env, "audited");
        List<String> bodies = List.of("{\"name\":\"nul\u0000name\"}", "{\"name\":\"" + "n".repeat(64 * 1024) + "\"}",
                "{\"name\":");
        for (ServiceProcess p : credentials) {
            for (String body : bodies) {
                var answer = admin().body(body).post(p.url() + "/api/v1/environments/" + env + "/clients");
                assertTrue(Set.of(400, 413, 422).contains(answer.statusCode()), p + " answered " + answer.statusCode());
                assertTrue(answer.contentType().startsWith("application/problem+json"),
                        p + ": " + answer.contentType());
            }
        }
        for (ServiceProcess p : webhooks) {
            for (String body : List.of("{\"url\":\"https://x.example/\u0000\"}",
                    "{\"url\":\"https://x.example/" + "u".repeat(64 * 1024) + "\"}", "{\"url\":")) {
                var answer = admin().body(body).post(p.url() + "/api/v1/environments/" + env + "/webhooks");
                assertTrue(Set.of(400, 413, 422).contains(answer.statusCode()), p + " answered " + answer.statusCode());
                assertTrue(answer.contentType().startsWith("application/problem+json"),
                        p + ": " + answer.contentType());
            }
        }
        // each token replica: a NUL id, a 60,000-character id, a secret typed as the id; then a real client's failure
        // through that replica still reaches the (shared) audit, read through another replica
        for (int n = 0; n < tokens.size(); n++) {
            String url = tokens.get(n).url() + "/oauth2/token";
            String from = LoopbackHttp.address(170 + n);
            assertEquals(401, LoopbackHttp.tokenRequest(from, url, "%00", "whsec_x").status());
            assertEquals(401, LoopbackHttp.post(from, url, null, "application/x-www-form-urlencoded",
                    "grant_type=client_credentials&client_id=" + "A".repeat(60_000)).status());
            assertEquals(401, LoopbackHttp.tokenRequest(from, url, c.secretValue(), c.id()).status());
            assertEquals(401,
                    LoopbackHttp.tokenRequest(LoopbackHttp.address(180 + n), url, c.id(), "whsec_wrong").status());
        }
        for (int n = 0; n < tokens.size(); n++) {
            String witness = LoopbackHttp.address(180 + n);
            ServiceProcess reader = tokens.get((n + 1) % tokens.size());
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> admin().get(reader.url() + "/api/v1/environments/" + env + "/token-audit").jsonPath()
                            .getList("items.source").contains(witness));
        }
        assertTrue(!admin().get(tokens.get(0).url() + "/api/v1/environments/" + env + "/token-audit").asString()
                .contains(c.secretValue()), "no secret in the audit");

        // the dispatchers: malformed events of 24 other keys (every partition, so every dispatcher) among the valid
        // events of six tenants; every valid one arrives, every bad one is dead-lettered, every dispatcher stays ready
        Map<String, String> hooks = webhooksOnSixEnvironments("rephostev");
        waitUntilDelivered(hooks, "warm");
        Set<String> valid = new HashSet<>();
        Set<String> badKeys = new HashSet<>();
        java.util.Properties props = KafkaBroker.shared().clientProperties();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int n = 0; n < 24; n++) {
                String bad = "rephostile-bad-" + n;
                badKeys.add(bad);
                String body = switch (n % 4) {
                case 0 -> event(bad, "evt_nul\u0000" + n);
                case 1 -> event(bad, "x".repeat(6 * 1024));
                case 2 -> event(bad, "evt_utf8_" + n).replace("/replicas", "/r\u00e9plicas");
                default -> "{\"specversion\":\"1.0\",\"id\":";
                };
                byte[] bytes = n % 4 == 2 ? body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)
                        : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Suite.DATA_CHANGES, bad, bytes)).get(10, TimeUnit.SECONDS);
                for (String e : hooks.keySet()) {
                    String id = "evt_hostile_" + n + "_" + e;
                    producer.send(new ProducerRecord<>(Suite.DATA_CHANGES, e,
                            event(e, id).getBytes(java.nio.charset.StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
                    valid.add(id);
                }
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> receiver.arrived(valid).size() == valid.size());
        Supplier<Set<String>> deadLettered = () -> TopicReader.readAll("keyhook.data-changes.dlq").stream()
                .map(ConsumerRecord::key).filter(badKeys::contains).collect(java.util.stream.Collectors.toSet());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> deadLettered.get().size() == badKeys.size());
        for (ServiceProcess d : dispatchers) {
            given().get(d.url() + "/q/health/ready").then().statusCode(200);
        }
        System.out.printf(
                "RESULT hostile input across replicas: %d valid events of 6 tenants delivered, %d malformed"
                        + " events (every partition) dead-lettered, %d dispatchers ready%n",
                valid.size(), deadLettered.get().size(), dispatchers.size());
    }

    @Test
    @Order(10)
    void killingAReplicaOfEachKindLosesNoEventAndFailsNoCorrectRequest() throws Exception {
        Map<String, String> hooks = webhooksOnSixEnvironments("repkill");
        waitUntilDelivered(hooks, "warm");
        String env = hooks.keySet().iterator().next();
        Setup.Client app = setup.client(env, "kept-working");

        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger answered = new AtomicInteger();
        // a client behind a load balancer: round robin, and a replica that refuses connections is skipped
        Thread callers = new Thread(() -> {
            int n = 0;
            while (running.get()) {
                n++;
                callThroughBalancer(tokens, n, t -> tokenStatus(t, app.id(), app.secretValue()), failures, answered);
                callThroughBalancer(credentials, n,
                        p -> admin().get(p.url() + "/api/v1/environments/" + env + "/clients").statusCode(), failures,
                        answered);
                callThroughBalancer(webhooks, n,
                        p -> admin().get(p.url() + "/api/v1/environments/" + env + "/webhooks").statusCode(), failures,
                        answered);
            }
        });
        callers.start();
        Set<String> sent = new HashSet<>();
        Map<String, Long> publishedAt = new java.util.concurrent.ConcurrentHashMap<>();
        int rounds = Integer.getInteger("keyhook.replicas.rounds", 30);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int round = 0; round < rounds; round++) {
                if (round == rounds / 3) {
                    credentials.get(1).kill();
                    tokens.get(2).kill();
                    webhooks.get(1).kill();
                    dispatchers.get(2).kill();
                    System.out.println("killed -9: credentials-service 2, token-service 3, webhook-config-service 2,"
                            + " webhook-dispatcher 3");
                }
                for (String e : hooks.keySet()) {
                    String id = "evt_kill_" + round + "_" + e;
                    publishedAt.put(id, System.nanoTime());
                    producer.send(new ProducerRecord<>(Suite.DATA_CHANGES, e, event(e, id))).get(10, TimeUnit.SECONDS);
                    sent.add(id);
                }
                ServiceProcess.sleep(200);
            }
        } finally {
            running.set(false);
            callers.join(30_000);
        }
        long start = System.nanoTime();
        Awaitility.await().atMost(Duration.ofMillis(DISPATCHER_FAILOVER_MS + 30_000))
                .until(() -> receiver.arrived(sent).size() == sent.size());
        long slowest = sent.stream().mapToLong(id -> receiver.arrivedAt(id) - publishedAt.get(id)).max().orElse(0)
                / 1_000_000;
        System.out.printf("RESULT kill -9: %d of %d events delivered (the last %d ms after the last was published,"
                + " the slowest %d ms after it was published); %d calls answered through the balancer, %d failed%n",
                receiver.arrived(sent).size(), sent.size(), (System.nanoTime() - start) / 1_000_000, slowest,
                answered.get(), failures.size());
        assertEquals(sent, receiver.arrived(sent), "no event lost");
        assertTrue(slowest <= DISPATCHER_FAILOVER_MS + 5_000,
                "the killed dispatcher's events waited " + slowest + " ms, past the session timeout");
        assertEquals(List.of(), failures, "no correct request failed");
        assertTrue(answered.get() > 30, "the callers ran: " + answered);
    }

    // --- helpers ---

    private io.restassured.specification.RequestSpecification admin() {
        return setup.admin();
    }

    /** A webhook on each of six new Environments (their keys spread over the partitions), all to the receiver. */
    private Map<String, String> webhooksOnSixEnvironments(String prefix) {
        Map<String, String> hooks = new LinkedHashMap<>();
        for (int n = 0; n < 6; n++) {
            String env = setup.environment(prefix + n, "Replicas " + n, "patients");
            Setup.Client c = setup.client(env, "signer");
            hooks.put(env, setup.webhook(env, receiver.url("/hook/" + env), "standard-webhooks", c.secretId()));
        }
        return hooks;
    }

    /**
     * Publishes until an event of every Environment has arrived: every dispatcher knows its webhooks. A round's events
     * get 3 s to arrive (watched every 50 ms) before the Environments still missing one are published to again.
     */
    private void waitUntilDelivered(Map<String, String> hooks, String tag) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> waiting = new HashSet<>(hooks.keySet());
        while (!waiting.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no event arrived within 60 s for " + waiting);
            Map<String, String> round = new HashMap<>();
            for (String env : waiting) {
                round.put(publishOnePerEnvironment(Set.of(env), tag).iterator().next(), env);
            }
            long roundEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < roundEnd && receiver.arrived(round.keySet()).size() < round.size()) {
                ServiceProcess.sleep(50);
            }
            receiver.arrived(round.keySet()).forEach(id -> waiting.remove(round.get(id)));
        }
    }

    private Set<String> publishOnePerEnvironment(Set<String> envs, String tag) throws Exception {
        Set<String> ids = new HashSet<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (String env : envs) {
                String id = "evt_" + tag + "_" + System.nanoTime();
                producer.send(new ProducerRecord<>(Suite.DATA_CHANGES, env, event(env, id))).get(10, TimeUnit.SECONDS);
                ids.add(id);
            }
        }
        return ids;
    }

    static String event(String env, String id) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/replicas\",\"type\":\"patients.updated\","
                + "\"subject\":\"p-1\",\"environment\":\"" + env + "\",\"data\":{\"resource\":\"patients\","
                + "\"resourceId\":\"p-1\",\"action\":\"updated\",\"updatedAt\":\"2026-12-01T10:00:00Z\","
                + "\"href\":\"https://api.example.com/p/p-1\"}}";
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(KafkaBroker.shared().clientProperties(), new StringSerializer(),
                new StringSerializer());
    }

    private static int tokenStatus(ServiceProcess t, String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post(t.url() + "/oauth2/token").statusCode();
    }

    private static String tokenFrom(ServiceProcess t, String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post(t.url() + "/oauth2/token").then().statusCode(200)
                .extract().path("access_token");
    }

    private static String kidOf(String jwt) throws Exception {
        String header = new String(java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                java.nio.charset.StandardCharsets.UTF_8);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(header).path("kid").asText();
    }

    /**
     * Milliseconds from {@code since} until {@code check} holds on every target, each polled by its own thread. A
     * target counts from the start of the first request that saw the change: a refused token request takes the failure
     * floor (200 ms) to answer, which is not propagation.
     */
    private static <T> long awaitEverywhere(List<T> targets, java.util.function.Predicate<T> check, long since)
            throws Exception {
        ExecutorService pollers = Executors.newFixedThreadPool(targets.size());
        try {
            List<Future<Long>> seen = new ArrayList<>();
            for (T target : targets) {
                seen.add(pollers.submit(() -> {
                    long deadline = since + Duration.ofSeconds(15).toNanos();
                    while (true) {
                        long started = System.nanoTime();
                        if (check.test(target)) {
                            return Math.max(0, (started - since) / 1_000_000);
                        }
                        if (started > deadline) {
                            throw new AssertionError("not seen after 15 s on " + target);
                        }
                        ServiceProcess.sleep(20);
                    }
                }));
            }
            long slowest = 0;
            List<Long> each = new ArrayList<>();
            for (Future<Long> f : seen) {
                each.add(f.get(30, TimeUnit.SECONDS));
                slowest = Math.max(slowest, each.get(each.size() - 1));
            }
            // which target was slow, for the report and a failure's message
            System.out.println("RESULT (each target, ms: " + each + ")");
            return slowest;
        } finally {
            pollers.shutdownNow();
        }
    }

    private static long timed(Runnable change) {
        change.run();
        return System.nanoTime();
    }

    private static void report(String what, long ms) {
        System.out.printf("RESULT %s %d ms after the change%n", what, ms);
    }

    /**
     * One call as a load balancer in front of the replicas makes it: to replica {@code n % size}, and to the next one
     * when a replica refuses or drops the connection (it is down). Any other failure of a correct request is recorded.
     */
    private static void callThroughBalancer(List<ServiceProcess> replicas, int n,
            java.util.function.ToIntFunction<ServiceProcess> call, List<String> failures, AtomicInteger answered) {
        for (int attempt = 0; attempt < replicas.size(); attempt++) {
            ServiceProcess p = replicas.get((n + attempt) % replicas.size());
            try {
                int status = call.applyAsInt(p);
                answered.incrementAndGet();
                if (status != 200) {
                    failures.add(p + " answered " + status);
                }
                return;
            } catch (Exception e) {
                // refused or reset: the replica is down, and a balancer sends the call to the next one
                if (!(rootCause(e) instanceof java.io.IOException)) {
                    failures.add(p + ": " + e);
                    return;
                }
            }
        }
        failures.add("no replica answered");
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** A receiver that records which path each event ({@code eventId}) arrived on. */
    static final class ArrivalsReceiver implements AutoCloseable {

        private final com.sun.net.httpserver.HttpServer server;
        private final Map<String, String> pathByEvent = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Long> arrivedAt = new java.util.concurrent.ConcurrentHashMap<>();

        ArrivalsReceiver() {
            try {
                server = com.sun.net.httpserver.HttpServer
                        .create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
                int at = text.indexOf("\"eventId\":\"");
                if (at >= 0) {
                    String id = text.substring(at + 11, text.indexOf('"', at + 11));
                    arrivedAt.putIfAbsent(id, System.nanoTime());
                    pathByEvent.putIfAbsent(id, exchange.getRequestURI().getPath());
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        Set<String> arrived(Set<String> ids) {
            Set<String> got = new HashSet<>(ids);
            got.retainAll(pathByEvent.keySet());
            return got;
        }

        /** When the event first arrived (System.nanoTime). */
        long arrivedAt(String id) {
            return arrivedAt.get(id);
        }

        String path(String id) {
            return pathByEvent.get(id);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
