package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.OwnSigningKeysTest.OWN_SECRET;
import static io.keyhook.webhooks.api.OwnSigningKeysTest.V1A;
import static io.keyhook.webhooks.api.OwnSigningKeysTest.ownKeyWebhook;
import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static io.keyhook.webhooks.api.WebhookApiTest.base;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.testing.Race;
import io.keyhook.webhooks.service.SigningKeyAgeJob;
import io.keyhook.webhooks.support.CredentialsStub;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 30: an Environment's maximum secret age applies to a webhook's own signing keys and secrets. The job runs here
 * as of a later instant (its cutoffs), against real PostgreSQL and Kafka; webhook-dispatcher's verification ping is the
 * real HTTP stub (answering 2xx or 401 as told).
 */
@QuarkusTest
class SigningKeyMaxAgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EnvironmentView view;

    @Inject
    SigningKeyAgeJob job;

    @Inject
    MeterRegistry registry;

    /** A webhook with keys of its own in an Environment whose maximum age is 1 day, with 1 day's grace. */
    private record Hook(String env, String id, String keys, String first) {

        Instant createdAt(String keyId) {
            return Instant.parse(as(env).get(keys).then().statusCode(200).extract()
                    .path("keys.find { it.id == '" + keyId + "' }.createdAt"));
        }

        String add() {
            return as(env).post(keys).then().statusCode(201).extract().path("id");
        }

        String status(String keyId) {
            return as(env).get(keys).then().extract().path("keys.find { it.id == '" + keyId + "' }.status");
        }

        /** The audit entries of {@code action}, oldest first. */
        List<Map<String, Object>> audits(String action) {
            List<Map<String, Object>> items = as(env).get("/api/v1/environments/" + env + "/webhook-audit?limit=200")
                    .then().statusCode(200).extract().jsonPath().getList("items");
            return items.stream().filter(i -> action.equals(i.get("action"))).toList();
        }
    }

    /** Each test's webhooks; deleted after it, so that the next test's rounds (every Environment) see only its own. */
    private final List<Hook> made = new ArrayList<>();

    private Hook hook(Map<String, Object> security) {
        String env = Environments.createWithMaxAge(view, 1, 1, "patients");
        var created = as(env).body(ownKeyWebhook(security)).post(base(env)).then().statusCode(201).extract();
        String id = created.path("id");
        Hook h = new Hook(env, id, base(env) + "/" + id + "/signing-keys", created.path("security.signingKeys[0].id"));
        made.add(h);
        return h;
    }

    @AfterEach
    void deleteWebhooks() {
        made.forEach(h -> as(h.env).delete(base(h.env) + "/" + h.id).then().statusCode(204));
    }

    private double count(String metric) {
        return registry.counter("keyhook.webhooks.signing_keys." + metric).count();
    }

    /** The names docs/operations.md gives, there from the start (at 0), so that increase() sees the first one. */
    @Test
    void theCountersArePublishedUnderTheDocumentedNames() {
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        for (String m : List.of("age_flagged", "expired", "expiry_blocked")) {
            assertTrue(metrics.contains("\nkeyhook_webhooks_signing_keys_" + m + "_total"), m);
        }
    }

    @Test
    void anOwnKeyOlderThanTheMaximumIsFlaggedOnceAndKeepsSigning() {
        Hook h = hook(V1A);
        Instant created = h.createdAt(h.first);
        double before = count("age_flagged");

        job.round(created.plus(Duration.ofHours(23))).await().atMost(Duration.ofSeconds(30));
        as(h.env).get(h.keys).then().body("keys[0].ageFlaggedAt", nullValue());

        job.round(created.plus(Duration.ofDays(1)).plusSeconds(1)).await().atMost(Duration.ofSeconds(30));
        job.round(created.plus(Duration.ofDays(1)).plusSeconds(2)).await().atMost(Duration.ofSeconds(30));

        as(h.env).get(h.keys).then().body("keys[0].ageFlaggedAt", notNullValue()).body("keys[0].status",
                equalTo("active"));
        List<Map<String, Object>> flagged = h.audits("webhook.signing-key.age_flagged");
        assertEquals(1, flagged.size(), "flagged once");
        assertEquals("keyhook", flagged.get(0).get("actor"));
        assertEquals(h.id, flagged.get(0).get("target"));
        assertTrue(String.valueOf(flagged.get(0).get("detail")).contains(h.first),
                String.valueOf(flagged.get(0).get("detail")));
        assertEquals(before + 1, count("age_flagged"));
        assertEquals(List.of(), h.audits("webhook.signing-key.expiry_blocked"), "not past the grace yet");
        // the webhook answer itself is unchanged
        as(h.env).get(base(h.env) + "/" + h.id).then().body("security.signingKeys[0]",
                org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("ageFlaggedAt")));
    }

    @Test
    void anOverdueKeyExpiresOnceTheReceiverAcceptsAPingSignedWithOnlyTheYoungerKey() throws Exception {
        Hook h = hook(V1A);
        String second = h.add();
        Instant due = h.createdAt(second).plus(Duration.ofDays(2));
        int pings = CredentialsStub.shared().pingBodies().size();
        double expiredBefore = count("expired");

        job.round(due).await().atMost(Duration.ofSeconds(30));

        assertEquals("retired", h.status(h.first));
        assertEquals("active", h.status(second));
        List<String> sent = CredentialsStub.shared().pingBodies().subList(pings,
                CredentialsStub.shared().pingBodies().size());
        assertEquals(1, sent.size(), "one verification ping: " + sent);
        JsonNode ping = JSON.readTree(sent.get(0));
        assertEquals(List.of(second), List.of(ping.path("signingKeyIds").get(0).asText()));
        assertEquals(1, ping.path("signingKeyIds").size(), "signed with the remaining key only: " + ping);
        assertEquals("key_expiry_check", ping.path("purpose").asText());
        List<Map<String, Object>> expired = h.audits("webhook.signing-key.expired");
        assertEquals(1, expired.size());
        assertEquals("keyhook", expired.get(0).get("actor"));
        assertTrue(String.valueOf(expired.get(0).get("detail")).contains(h.first),
                String.valueOf(expired.get(0).get("detail")));
        assertEquals(expiredBefore + 1, count("expired"));
        // the younger key is flagged too (it is older than the maximum as well) but not yet past the grace
        as(h.env).get(h.keys).then().body("keys.find { it.id == '" + second + "' }.ageFlaggedAt", notNullValue());
        assertEquals(List.of(), h.audits("webhook.signing-key.expiry_blocked"));
    }

    @Test
    void theOnlyActiveKeyNeverExpiresAndItsRefusalIsAuditedOnce() {
        Hook h = hook(OWN_SECRET);
        Instant due = h.createdAt(h.first).plus(Duration.ofDays(2)).plusSeconds(1);
        int pings = CredentialsStub.shared().pingBodies().size();
        double blockedBefore = count("expiry_blocked");

        job.round(due).await().atMost(Duration.ofSeconds(30));
        job.round(due.plusSeconds(60)).await().atMost(Duration.ofSeconds(30));

        assertEquals("active", h.status(h.first), "a webhook always keeps a key to sign with");
        List<Map<String, Object>> blocked = h.audits("webhook.signing-key.expiry_blocked");
        assertEquals(1, blocked.size(), "once per key, not every round");
        assertTrue(String.valueOf(blocked.get(0).get("detail")).contains("only active key"),
                String.valueOf(blocked.get(0).get("detail")));
        assertEquals(blockedBefore + 1, count("expiry_blocked"));
        assertEquals(pings, CredentialsStub.shared().pingBodies().size(), "nothing to verify: no ping");
        assertEquals(List.of(), h.audits("webhook.signing-key.expired"));
    }

    @Test
    void anOverdueKeyStaysWhileTheReceiverRefusesThePingAndGoesOnceItAccepts() {
        Hook h = hook(V1A);
        String second = h.add();
        Instant due = h.createdAt(second).plus(Duration.ofDays(2));
        try {
            CredentialsStub.shared().pingsDelivered(false);
            int pings = CredentialsStub.shared().pingBodies().size();
            // the same cutoffs twice (later ones would make the younger key overdue too)
            job.round(due).await().atMost(Duration.ofSeconds(30));
            job.round(due).await().atMost(Duration.ofSeconds(30));

            assertEquals("active", h.status(h.first), "deliveries keep the old key while the receiver needs it");
            assertEquals(pings + 2, CredentialsStub.shared().pingBodies().size(), "each round verifies again");
            List<Map<String, Object>> blocked = h.audits("webhook.signing-key.expiry_blocked");
            assertEquals(1, blocked.size(), "once per key");
            assertTrue(String.valueOf(blocked.get(0).get("detail")).contains("HTTP 401"),
                    String.valueOf(blocked.get(0).get("detail")));
            assertEquals(List.of(), h.audits("webhook.signing-key.expired"));
        } finally {
            CredentialsStub.shared().pingsDelivered(true);
        }
        // the receiver got the new key: the next round verifies again and expires the old one
        job.round(due).await().atMost(Duration.ofSeconds(30));
        assertEquals("retired", h.status(h.first));
        assertEquals(1, h.audits("webhook.signing-key.expired").size());
    }

    @Test
    void twoJobsAtOnceFlagAndExpireEachKeyOnce() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            Hook h = hook(V1A);
            String second = h.add();
            Instant due = h.createdAt(second).plus(Duration.ofDays(2));
            int pings = CredentialsStub.shared().pingBodies().size();
            try (Race race = new Race(2, attempt)) {
                race.run(List.of(() -> job.round(due).await().atMost(Duration.ofSeconds(30)),
                        () -> job.round(due).await().atMost(Duration.ofSeconds(30))));
            }
            assertEquals("retired", h.status(h.first));
            assertEquals("active", h.status(second));
            assertEquals(2, h.audits("webhook.signing-key.age_flagged").size(), "each of the two keys once");
            assertEquals(1, h.audits("webhook.signing-key.expired").size());
            assertEquals(List.of(), h.audits("webhook.signing-key.expiry_blocked"));
            assertEquals(pings + 1, CredentialsStub.shared().pingBodies().size(), "one replica verified");
            deleteWebhooks();
            made.clear();
        }
    }
}
