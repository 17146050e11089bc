package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;

/**
 * The suite attacked the way issue 14 describes, over real HTTP against the running services: guesses from many
 * loopback addresses never lock out a correct secret; hostile client ids never blind the token audit; a revoked admin
 * is refused by every service within a second, and its console session ends; token-exchange never sends a secret off
 * the receiver's site; every answer carrying a secret is marked not to be cached; a replay needs a range.
 */
class AbuseE2ETest {

    static Suite suite;
    static Setup setup;

    @BeforeAll
    static void setUp() {
        suite = Suite.get();
        setup = Setup.of(suite);
    }

    private static String tokenUrl() {
        return suite.tokens.url() + "/oauth2/token";
    }

    @Test
    void guessesFromManyAddressesNeverLockOutTheCorrectSecretFromAnyOfThem() throws Exception {
        String env = setup.environment("abuse", "Abuse", "patients");
        Setup.Client victim = setup.client(env, "victim");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> guesses = new ArrayList<>();
            // 20 addresses guess the victim's secret 25 times each: past 20, each of those pairs is blocked
            for (int a = 0; a < 20; a++) {
                String from = LoopbackHttp.address(a);
                for (int i = 0; i < 25; i++) {
                    String guess = "whsec_guess" + a + "x" + i;
                    guesses.add(pool
                            .submit(() -> LoopbackHttp.tokenRequest(from, tokenUrl(), victim.id(), guess).status()));
                }
            }
            // and one address sprays 210 made-up client ids: past 200 failures the address itself is blocked
            String sprayer = LoopbackHttp.address(40);
            for (int i = 0; i < 210; i++) {
                String id = "cl_madeUp" + i;
                guesses.add(pool.submit(() -> LoopbackHttp.tokenRequest(sprayer, tokenUrl(), id, "whsec_x").status()));
            }
            int blocked = 0;
            for (Future<Integer> f : guesses) {
                int status = f.get();
                assertTrue(status == 401 || status == 429, "a guess answered " + status);
                blocked += status == 429 ? 1 : 0;
            }
            assertTrue(blocked > 0, "the limits did block the guessers");
            assertEquals(429, LoopbackHttp.tokenRequest(sprayer, tokenUrl(), "cl_another", "whsec_x").status());

            for (int a = 0; a < 20; a++) {
                assertEquals(200, LoopbackHttp
                        .tokenRequest(LoopbackHttp.address(a), tokenUrl(), victim.id(), victim.secretValue()).status(),
                        "the correct secret from guessing address " + LoopbackHttp.address(a));
            }
            assertEquals(200,
                    LoopbackHttp.tokenRequest(sprayer, tokenUrl(), victim.id(), victim.secretValue()).status(),
                    "the correct secret from the blocked sprayer's address");
            assertEquals(200, LoopbackHttp
                    .tokenRequest(LoopbackHttp.address(60), tokenUrl(), victim.id(), victim.secretValue()).status(),
                    "the correct secret from a fresh address");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hostileClientIdsNeverBlindTheTokenAudit() {
        String env = setup.environment("abaudit", "Abuse audit", "patients");
        Setup.Client c = setup.client(env, "audited");
        String from = LoopbackHttp.address(80);
        // a NUL id (Basic, percent-decoded), a 60,000-character id without a secret, a secret typed as the id
        assertEquals(401, LoopbackHttp.tokenRequest(from, tokenUrl(), "%00", "whsec_x").status());
        assertEquals(401, LoopbackHttp.post(from, tokenUrl(), null, "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + "A".repeat(60_000)).status());
        assertEquals(401, LoopbackHttp.tokenRequest(from, tokenUrl(), c.secretValue(), c.id()).status());

        // after them, a real client's failure still reaches its Environment's audit
        String witness = LoopbackHttp.address(81);
        assertEquals(401, LoopbackHttp.tokenRequest(witness, tokenUrl(), c.id(), "whsec_wrong").status());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            Response page = setup.admin().get(suite.tokens.url() + "/api/v1/environments/" + env + "/token-audit");
            return page.statusCode() == 200 && page.jsonPath().getList("items.source").contains(witness);
        });
        String audit = setup.admin().get(suite.tokens.url() + "/api/v1/environments/" + env + "/token-audit")
                .asString();
        assertTrue(!audit.contains(c.secretValue()), "no secret in the audit");
    }

    @Test
    void aRevokedAdminIsRefusedByEveryServiceWithinOneSecond() {
        String env = setup.environment("abadmin", "Abuse admin", "patients");
        String other = setup.environment("abother", "Abuse other", "patients");

        Map<String, Function<Setup.Client, Long>> revocations = new LinkedHashMap<>();
        revocations.put("disabled", a -> timed(() -> setup.admin()
                .delete(suite.credentials.url() + "/api/v1/admin-clients/" + a.id()).then().statusCode(200)));
        revocations.put("secret invalidated",
                a -> timed(() -> setup.admin().post(suite.credentials.url() + "/api/v1/admin-clients/" + a.id()
                        + "/secrets/" + a.secretId() + "/invalidate").then().statusCode(200)));
        revocations.put("narrowed", a -> timed(() -> setup.admin().body(Map.of("environments", List.of(other)))
                .patch(suite.credentials.url() + "/api/v1/admin-clients/" + a.id()).then().statusCode(200)));

        for (var revocation : revocations.entrySet()) {
            Setup.Client a = setup.adminClient("revoked " + revocation.getKey(), List.of("integration-admin"),
                    List.of(env, other));
            String token = Setup.token(suite, a.id(), a.secretValue());
            List<String> urls = adminUrls(env);
            for (String url : urls) {
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> given().auth().oauth2(token).get(url).statusCode() == 200);
            }
            long revokedAt = revocation.getValue().apply(a);
            long slowest = awaitRefusedEverywhere(token, urls, revokedAt);
            System.out.printf("admin %s: refused by all %d services %d ms after the change%n", revocation.getKey(),
                    urls.size(), slowest);
            assertTrue(slowest <= 1000, revocation.getKey() + ": refused after " + slowest + " ms");
        }

        // RFC 7009: the admin revokes its own token
        Setup.Client a = setup.adminClient("revoked token", List.of("integration-admin"), List.of(env));
        String token = Setup.token(suite, a.id(), a.secretValue());
        List<String> urls = adminUrls(env);
        for (String url : urls) {
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> given().auth().oauth2(token).get(url).statusCode() == 200);
        }
        long revokedAt = timed(() -> given().auth().preemptive().basic(a.id(), a.secretValue())
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(suite.tokens.url() + "/oauth2/revoke").then().statusCode(200));
        long slowest = awaitRefusedEverywhere(token, urls, revokedAt);
        System.out.printf("admin token revoked: refused by all %d services %d ms after the change%n", urls.size(),
                slowest);
        assertTrue(slowest <= 1000, "revoked token: refused after " + slowest + " ms");
    }

    @Test
    void aConsoleSessionEndsWhenItsAdminIsRevoked() {
        String env = setup.environment("abconsole", "Abuse console", "patients");
        Setup.Client a = setup.adminClient("console, revoked", List.of("integration-admin"), List.of(env));
        ConsoleClient browser = new ConsoleClient(suite.console().url());
        assertEquals(303, browser.signIn(a.id(), a.secretValue()).statusCode());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> browser.get("/environments").statusCode() == 200);
        long revokedAt = timed(() -> setup.admin().delete(suite.credentials.url() + "/api/v1/admin-clients/" + a.id())
                .then().statusCode(200));
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            Response r = browser.get("/environments");
            return r.statusCode() == 303 && r.getHeader("Location").contains("/sign-in?revoked");
        });
        System.out.printf("console session of a disabled admin ended %d ms after the change%n",
                (System.nanoTime() - revokedAt) / 1_000_000);
        Response after = browser.get("/environments");
        assertEquals(303, after.statusCode());
        assertTrue(after.getHeader("Location").endsWith("/sign-in"), "the session is gone");
    }

    @Test
    void everyAnswerCarryingASecretIsMarkedNotToBeCached() {
        String env = setup.environment("abcache", "Abuse cache", "patients");
        Map<String, Response> answers = new LinkedHashMap<>();
        Response client = setup.admin().body(Map.of("name", "cached?"))
                .post(suite.credentials.url() + "/api/v1/environments/" + env + "/clients");
        answers.put("client creation", client);
        String clientId = client.path("clientId");
        String firstSecret = client.path("secret.id");
        answers.put("secret creation", setup.admin().body("{}")
                .post(suite.credentials.url() + "/api/v1/environments/" + env + "/clients/" + clientId + "/secrets"));
        Response admin = setup.admin().body(
                Map.of("name", "cached admin?", "groups", List.of("integration-admin"), "environments", List.of(env)))
                .post(suite.credentials.url() + "/api/v1/admin-clients");
        answers.put("admin client creation", admin);
        answers.put("admin secret creation", setup.admin().body("{}")
                .post(suite.credentials.url() + "/api/v1/admin-clients/" + admin.path("clientId") + "/secrets"));
        setup.webhook(env, "http://127.0.0.1:9/hook", "standard-webhooks", firstSecret);
        answers.put("rotation start", setup.admin().body(Map.of("clientId", clientId, "secretId", firstSecret))
                .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/rotations"));
        answers.put("token",
                given().auth().preemptive().basic(admin.path("clientId"), admin.path("secret.value"))
                        .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                        .post(tokenUrl()));
        for (var e : answers.entrySet()) {
            Response r = e.getValue();
            assertTrue(r.statusCode() / 100 == 2, e.getKey() + " answered " + r.statusCode() + ": " + r.asString());
            assertEquals("no-store", r.header("Cache-Control"), e.getKey());
            assertEquals("no-cache", r.header("Pragma"), e.getKey());
        }
    }

    @Test
    void tokenExchangeNeverTakesATokenUrlOffTheReceiversSite() {
        String env = setup.environment("abexchange", "Abuse exchange", "patients");
        Setup.Client c = setup.client(env, "exchanged");
        // the destination is 127.0.0.1; a token URL on another host would receive the client secret
        setup.admin()
                .body(Map.of("url", "http://127.0.0.1:9/hook", "notificationTypes", List.of("patients.updated"),
                        "security",
                        Map.of("method", "token-exchange", "secretIds", List.of(c.secretId()), "tokenUrl",
                                "http://127.0.0.2:9/token")))
                .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("token_url_foreign"));
        setup.admin()
                .body(Map.of("url", "http://127.0.0.1:9/hook", "notificationTypes", List.of("patients.updated"),
                        "security",
                        Map.of("method", "token-exchange", "secretIds", List.of(c.secretId()), "tokenUrl",
                                "http://127.0.0.1:9/token")))
                .post(suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks").then().statusCode(201);
    }

    @Test
    void aReplayWithoutARangeIsTheCallersMistake() {
        String env = setup.environment("abreplay", "Abuse replay", "patients");
        Setup.Client c = setup.client(env, "replayed");
        String webhook = setup.webhook(env, "http://127.0.0.1:9/hook", "standard-webhooks", c.secretId());
        setup.admin().body(Map.of("from", "", "to", ""))
                .post(suite.dispatcher.url() + "/api/v1/environments/" + env + "/webhooks/" + webhook + "/replay")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("range_required"));
    }

    private static List<String> adminUrls(String env) {
        return List.of(suite.credentials.url() + "/api/v1/environments/" + env + "/clients",
                suite.webhooks.url() + "/api/v1/environments/" + env + "/webhooks",
                suite.tokens.url() + "/api/v1/environments/" + env + "/token-audit",
                suite.dispatcher.url() + "/api/v1/environments/" + env + "/webhooks/wh_none/deliveries");
    }

    /** Milliseconds from {@code since} (System.nanoTime) until the token is refused (401) at every URL. */
    private static long awaitRefusedEverywhere(String token, List<String> urls, long since) {
        long slowest = 0;
        for (String url : urls) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> given().auth().oauth2(token).get(url).statusCode() == 401);
            slowest = Math.max(slowest, (System.nanoTime() - since) / 1_000_000);
        }
        return slowest;
    }

    /** Runs the change and returns the time its answer came (System.nanoTime): revocation counts from there. */
    private static long timed(Runnable change) {
        change.run();
        return System.nanoTime();
    }
}
