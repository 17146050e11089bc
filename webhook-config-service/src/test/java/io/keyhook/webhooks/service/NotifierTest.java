package io.keyhook.webhooks.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.testing.Race;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.support.OperationalEvents;
import io.keyhook.webhooks.support.Smtp;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Issue 31: operational events are e-mailed to an Environment's notification addresses through a real SMTP server
 * (GreenMail): one event, one message; a burst, one digest; at most one message per interval; never twice; kept while
 * the server is down.
 */
@QuarkusTest
class NotifierTest {

    @Inject
    EnvironmentView view;

    @Inject
    NotificationRound round;

    @Inject
    Pool pool;

    private String withAddress(String address) {
        String env = Environments.create(view, "patients");
        given().auth().oauth2(Environments.admin(env)).contentType("application/json")
                .body(Map.of("emails", List.of(address))).put("/api/v1/environments/" + env + "/notification-settings")
                .then().statusCode(200);
        return env;
    }

    private static String text(Message m) throws Exception {
        return String.valueOf(m.getContent()).replace("\r\n", "\n");
    }

    /** How many of the Environment's queued events are still waiting for their message. */
    private long unsent(String env) {
        return pool
                .preparedQuery("select count(*) from webhooks.notification_queue where environment = $1"
                        + " and sent_at is null")
                .execute(Tuple.of(env)).await().indefinitely().iterator().next().getLong(0);
    }

    private long queued(String env) {
        return pool.preparedQuery("select count(*) from webhooks.notification_queue where environment = $1")
                .execute(Tuple.of(env)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void oneEventIsOneMessageThatSaysWhichWebhookSinceWhenTheLastErrorAndLinksToTheConsole() throws Exception {
        String address = "ops-one@hospital.example.org";
        String env = withAddress(address);
        OperationalEvents.publish(
                List.of(OperationalEvents.failing(env, "opev_failing_wh_One1_1", "wh_One1", "HTTP 503 from receiver")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Smtp.shared().to(address).size() == 1);
        Message m = Smtp.shared().to(address).get(0);
        assertEquals("[Keyhook] " + env + ": webhook is failing (wh_One1)", m.getSubject());
        assertArrayEquals(new Address[] { new InternetAddress("keyhook@keyhook.example.test") }, m.getFrom());
        String text = text(m);
        assertTrue(text.contains("webhook: wh_One1"), text);
        assertTrue(text.contains("failing since: 2026-12-01T08:00:00Z"), text);
        assertTrue(text.contains("last error: HTTP 503 from receiver"), text);
        assertTrue(text.contains("https://console.example.test/environments/" + env + "/webhooks/wh_One1/edit"), text);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> unsent(env) == 0);
        assertEquals(1, Smtp.shared().to(address).size());
        given().get("/q/metrics").then().body(org.hamcrest.Matchers
                .matchesPattern("(?s).*keyhook_webhooks_notifications_sent_total(\\{[^}]*\\})? [1-9].*"));
    }

    @Test
    void aBurstOfEventsIsOneDigestAndWhatFollowsWaitsForTheInterval() throws Exception {
        String address = "ops-burst@hospital.example.org";
        String env = withAddress(address);
        List<OperationalEvent> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(
                    OperationalEvents.failing(env, "opev_failing_wh_Burst" + i + "_1", "wh_Burst" + i, "timeout " + i));
        }
        OperationalEvents.publish(burst);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> queued(env) == 5 && unsent(env) == 0);
        assertEquals(1, Smtp.shared().to(address).size());
        Message digest = Smtp.shared().to(address).get(0);
        assertEquals("[Keyhook] " + env + ": 5 operational events", digest.getSubject());
        String text = text(digest);
        for (int i = 0; i < 5; i++) {
            assertTrue(text.contains("webhook: wh_Burst" + i), text);
        }

        // within the interval (15 minutes): the next event waits, while another Environment's is sent meanwhile
        OperationalEvents.publish(List.of(OperationalEvents.failing(env, "opev_failing_wh_Late_1", "wh_Late", "x")));
        String otherAddress = "ops-burst-other@hospital.example.org";
        String other = withAddress(otherAddress);
        OperationalEvents
                .publish(List.of(OperationalEvents.failing(other, "opev_failing_wh_Other_1", "wh_Other", "x")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Smtp.shared().to(otherAddress).size() == 1);
        assertEquals(1, unsent(env));
        assertEquals(1, Smtp.shared().to(address).size());
    }

    @Test
    void twoNotifierRoundsAtOnceSendTheMessageOnce() throws Exception {
        String address = "ops-race@hospital.example.org";
        String env = withAddress(address);
        OperationalEvents.publish(List.of(OperationalEvents.failing(env, "opev_failing_wh_Race_1", "wh_Race", "x")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> queued(env) == 1);
        // four rounds at once, besides the scheduled ones, until the message went out
        while (unsent(env) > 0) {
            try (Race race = new Race(4, 7)) {
                race.run(List.of(() -> round.round().await().indefinitely(), () -> round.round().await().indefinitely(),
                        () -> round.round().await().indefinitely(), () -> round.round().await().indefinitely()));
            }
        }
        assertEquals(1, Smtp.shared().to(address).size());
        // and a later round does not send it again
        round.round().await().indefinitely();
        assertEquals(1, Smtp.shared().to(address).size());
    }

    @Test
    void receiverTextNeverReachesAHeaderAndCannotForgeLines() throws Exception {
        String address = "ops-inject@hospital.example.org";
        String env = withAddress(address);
        OperationalEvent forged = new OperationalEvent("opev_failing_wh_Inject_1", "/keyhook/webhook-dispatcher",
                OperationalEvent.WEBHOOK_FAILING, java.time.Instant.now(), "wh_Inject", env,
                Map.of("webhookId", "wh_Inject\r\nX-Injected: yes", "lastError",
                        "oops\r\nBcc: evil@attacker.test\r\n\r\nClick https://phish.example", "failingSince",
                        "2026-12-01T08:00:00Z\nSubject: forged"));
        // a subject with CR/LF is no operational event: skipped, and the good one after it still arrives
        OperationalEvent badSubject = new OperationalEvent("opev_bad_subject", "/x", OperationalEvent.WEBHOOK_FAILING,
                java.time.Instant.now(), "wh_X\r\nBcc: evil@attacker.test", env, Map.of());
        OperationalEvents.publishRaw(env, "{not json");
        OperationalEvents.publish(List.of(badSubject, forged));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Smtp.shared().to(address).size() == 1);
        Message m = Smtp.shared().to(address).get(0);
        assertNull(m.getHeader("X-Injected"));
        assertEquals(1, m.getAllRecipients().length);
        assertEquals(address, m.getAllRecipients()[0].toString());
        assertFalse(m.getSubject().contains("\n") || m.getSubject().contains("\r"), m.getSubject());
        String text = text(m);
        for (String line : text.split("\n")) {
            assertFalse(line.startsWith("Bcc:") || line.startsWith("X-Injected") || line.startsWith("Subject:")
                    || line.startsWith("Click"), line);
        }
        assertTrue(text.contains("last error: oops  Bcc: evil@attacker.test    Click https://phish.example"), text);
        // a forged webhook id gets no console link
        assertFalse(text.contains("/webhooks/wh_Inject"), text);
        assertEquals(1, queued(env));
    }

    @Test
    void withTheSmtpServerDownTheEventsAreKeptAndSentOnceItIsBack() throws Exception {
        String address = "ops-down@hospital.example.org";
        String env = withAddress(address);
        Smtp.shared().stop();
        try {
            OperationalEvents
                    .publish(List.of(OperationalEvents.failing(env, "opev_failing_wh_Down_1", "wh_Down", "x")));
            // a send was tried and failed: the event stays queued
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> failures(env) >= 1);
            assertEquals(1, unsent(env));
            given().get("/q/metrics").then().body(org.hamcrest.Matchers
                    .matchesPattern("(?s).*keyhook_webhooks_notifications_failed_total(\\{[^}]*\\})? [1-9].*"));
        } finally {
            Smtp.shared().start();
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Smtp.shared().to(address).size() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> unsent(env) == 0);
        assertEquals(1, Smtp.shared().to(address).size());
    }

    private int failures(String env) {
        var rows = pool.preparedQuery("select failures from webhooks.notification_windows where environment = $1")
                .execute(Tuple.of(env)).await().indefinitely();
        return rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0);
    }
}
