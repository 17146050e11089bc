package io.keyhook.webhooks.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.Race;
import io.keyhook.webhooks.support.CredentialsStub;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Changes racing on the same webhooks never undo each other. Each webhook gets, at once and in random order, a URL
 * change, a types change, a secrets change and a pause — each writes a different field, so all four must survive — and
 * some also a delete. Afterwards the row, the leases in credentials-service and the last record on keyhook.webhooks
 * (what the dispatcher's view holds) agree with that, over several rounds.
 */
@QuarkusTest
class ConcurrentChangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EnvironmentView view;

    static RequestSpecification as(String env) {
        return given().auth().oauth2(Environments.admin(env)).contentType("application/json");
    }

    record Hook(String env, String id, String s1, String s2, boolean deleted) {
        String path() {
            return "/api/v1/environments/" + env + "/webhooks/" + id;
        }
    }

    /** A new Environment with two secrets and a webhook signing with the first (or with both). */
    private Hook newHook(boolean bothSecrets, boolean deleted) {
        String env = Environments.create(view, "patients");
        String s1 = secret(env);
        String s2 = secret(env);
        String id = as(env)
                .body(Map.of("url", "https://receiver.example.com/v0", "notificationTypes", List.of("patients.updated"),
                        "security",
                        Map.of("method", "standard-webhooks", "secretIds",
                                bothSecrets ? List.of(s1, s2) : List.of(s1))))
                .post("/api/v1/environments/" + env + "/webhooks").then().statusCode(201).extract().path("id");
        return new Hook(env, id, s1, s2, deleted);
    }

    @Test
    void racingChangesAllHoldAndTheLeasesAndTheTopicAgree() throws Exception {
        try (Race race = new Race(16, 21)) {
            for (int round = 0; round < 3; round++) {
                List<Hook> hooks = new ArrayList<>();
                List<Runnable> ops = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    Hook h = newHook(false, i % 4 == 0);
                    String env = h.env();
                    String s1 = h.s1();
                    String s2 = h.s2();
                    hooks.add(h);
                    ops.add(() -> expect(
                            as(env).body(Map.of("url", "https://receiver.example.com/v1")).patch(h.path()).statusCode(),
                            h));
                    ops.add(() -> expect(
                            as(env).body(Map.of("notificationTypes", List.of("patients.updated", "patients.created")))
                                    .patch(h.path()).statusCode(),
                            h));
                    ops.add(() -> expect(as(env)
                            .body(Map.of("security",
                                    Map.of("method", "standard-webhooks", "secretIds", List.of(s1, s2))))
                            .patch(h.path()).statusCode(), h));
                    ops.add(() -> expect(as(env).post(h.path() + "/pause").statusCode(), h));
                    if (h.deleted()) {
                        ops.add(() -> expect(as(env).delete(h.path()).statusCode(), h));
                    }
                }
                race.run(ops);
                for (Hook h : hooks) {
                    check(h, round);
                }
            }
        }
    }

    /**
     * A secret removed while another change of the same webhook commits is still unleased. Before, the removal narrowed
     * the leases only if the webhook's version was still its own; a change committed in between (one that touched no
     * secret, such as a URL change or a rotation job repeating a step already done) left them covering the removed
     * secret for good, and invalidating it was refused for ever (a guided rotation stuck in "finishing").
     */
    @Test
    void aRemovedSecretIsUnleasedEvenWhenAnotherChangeCommitsInBetween() throws Exception {
        try (Race race = new Race(16, 7)) {
            List<Hook> hooks = new ArrayList<>();
            List<Runnable> ops = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                Hook h = newHook(true, false);
                String env = h.env();
                String s2 = h.s2();
                hooks.add(h);
                ops.add(() -> expect(as(env)
                        .body(Map.of("security", Map.of("method", "standard-webhooks", "secretIds", List.of(s2))))
                        .patch(h.path()).statusCode(), h));
                for (int n = 1; n <= 3; n++) {
                    String url = "https://receiver.example.com/v" + n;
                    ops.add(() -> expect(as(env).body(Map.of("url", url)).patch(h.path()).statusCode(), h));
                }
            }
            race.run(ops);
            for (Hook h : hooks) {
                assertEquals(List.of(h.s2()), as(h.env()).get(h.path()).then().statusCode(200).extract().jsonPath()
                        .getList("security.secretIds"), "secrets of " + h.id());
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> List.of(h.s2()).equals(CredentialsStub.shared().leasesOf(h.id())));
            }
        }
    }

    private static String secret(String env) {
        String id = SecretGenerator.newId("sec_");
        CredentialsStub.shared().secret(id, env, true);
        return id;
    }

    /** Success, or — only where the webhook is being deleted — 404 for a change that came after the delete. */
    private static void expect(int status, Hook h) {
        boolean ok = status / 100 == 2 || h.deleted() && status == 404;
        if (!ok) {
            throw new AssertionError("a change of " + h.id() + " answered " + status);
        }
    }

    private void check(Hook h, int round) throws Exception {
        String where = h.id() + " in round " + round;
        if (h.deleted()) {
            as(h.env()).get(h.path()).then().statusCode(404);
            assertEquals(List.of(), CredentialsStub.shared().leasesOf(h.id()), "leases of deleted " + where);
            // the relay publishes in commit order: the last record becomes the tombstone
            awaitLast(h, where, r -> r.isEmpty());
            return;
        }
        var w = as(h.env()).get(h.path()).then().statusCode(200).extract().jsonPath();
        assertEquals("https://receiver.example.com/v1", w.getString("url"), "url of " + where);
        assertEquals(List.of("patients.updated", "patients.created"), w.getList("notificationTypes"),
                "types of " + where);
        assertEquals(List.of(h.s1(), h.s2()), w.getList("security.secretIds"), "secrets of " + where);
        assertEquals(true, w.getBoolean("paused"), "paused of " + where);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> List.of(h.s1(), h.s2()).equals(CredentialsStub.shared().leasesOf(h.id())));
        // the relay publishes in commit order: the last record is the final state
        awaitLast(h, where, r -> {
            if (r.isEmpty()) {
                return false;
            }
            JsonNode n = read(r.get());
            return n.path("paused").asBoolean() && "https://receiver.example.com/v1".equals(n.path("url").asText())
                    && n.path("notificationTypes").size() == 2 && n.path("security").path("secretIds").size() == 2;
        });
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to 10 s for the webhook's last record to pass {@code ok}; fails listing every record of it. */
    private static void awaitLast(Hook h, String where, java.util.function.Predicate<java.util.Optional<String>> ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (last(h.id()) == null || !ok.test(last(h.id()))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the records of " + where + " on keyhook.webhooks end elsewhere:\n"
                        + String.join("\n", ALL.getOrDefault(h.id(), List.of())));
            }
            Thread.sleep(100);
        }
    }

    /** The last record of each key on keyhook.webhooks, kept current by one consumer for the whole test. */
    private static final Map<String, java.util.Optional<String>> LAST = new java.util.concurrent.ConcurrentHashMap<>();
    private static volatile Thread reader;
    static final Map<String, List<String>> ALL = new java.util.concurrent.ConcurrentHashMap<>();

    private static synchronized void follow() {
        if (reader != null) {
            return;
        }
        reader = new Thread(() -> {
            var p = io.keyhook.testing.KafkaBroker.shared().clientProperties();
            try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(p,
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.StringDeserializer())) {
                var parts = c.partitionsFor("keyhook.webhooks").stream()
                        .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                        LAST.put(r.key(), java.util.Optional.ofNullable(r.value()));
                        ALL.computeIfAbsent(r.key(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                .add(r.partition() + "@" + r.offset() + " " + r.value());
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // the JVM is done with it
            }
        }, "keyhook-webhooks-follower");
        reader.setDaemon(true);
        reader.start();
    }

    /** The last record's value for the webhook: null if none yet, empty for a tombstone. */
    private static java.util.Optional<String> last(String id) {
        follow();
        return LAST.get(id);
    }
}
