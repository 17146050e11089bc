package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The console's access rules against the real suite, over plain HTTP: no page or form works without a session, every
 * form checks its CSRF token, another Environment answers 404, the session cookie is HttpOnly and SameSite=Strict
 * (Secure unless on localhost), sign-in refuses wrong or non-admin credentials, and sign-out ends the session.
 */
class ConsoleE2ETest {

    static Suite suite;
    static Setup setup;
    static String envA;
    static String envB;
    static String webhookOfB;
    static String secretOfA;
    static String secretOfB;
    static String adminOfAId;
    static String adminOfASecret;

    @BeforeAll
    static void world() {
        suite = Suite.get();
        suite.console();
        setup = Setup.of(suite);
        envA = setup.environment("console-a", "Console A", "patients");
        envB = setup.environment("console-b", "Console B", "patients");
        secretOfA = setup.client(envA, "a").secretId();
        secretOfB = setup.client(envB, "b").secretId();
        webhookOfB = setup.webhook(envB, "http://127.0.0.1:9/b", "standard-webhooks", secretOfB);
        Setup.Client adminOfA = setup.adminClient("console admin of A", List.of("integration-admin"), List.of(envA));
        adminOfAId = adminOfA.id();
        adminOfASecret = adminOfA.secretValue();
    }

    @Test
    void noPageOrFormWorksWithoutASession() {
        ConsoleClient anonymous = new ConsoleClient(suite.console().url());
        for (String page : pages(envA)) {
            Response r = anonymous.get(page);
            assertEquals(303, r.statusCode(), page);
            assertTrue(r.getHeader("Location").endsWith("/sign-in"), page);
        }
        for (String form : forms(envA)) {
            Response r = anonymous.request().formParam("_csrf", "anything").post(anonymous.base + form);
            assertEquals(303, r.statusCode(), form);
            assertTrue(r.getHeader("Location").endsWith("/sign-in"), form);
        }
    }

    @Test
    void everyFormRefusesAMissingOrForeignCsrfToken() {
        ConsoleClient admin = signedIn();
        ConsoleClient other = signedIn(); // a second session: its token is not this session's
        String foreign = other.csrfOf("/environments");
        for (String form : forms(envA)) {
            assertEquals(403, admin.request().post(admin.base + form).statusCode(), "no token: " + form);
            assertEquals(403, admin.request().formParam("_csrf", foreign).post(admin.base + form).statusCode(),
                    "another session's token: " + form);
        }
        // and with the right token a form goes through
        String csrf = admin.csrfOf("/environments/" + envA + "/credentials");
        Response created = admin.request().formParam("_csrf", csrf).formParam("name", "via the console")
                .post(admin.base + "/environments/" + envA + "/credentials/clients");
        assertEquals(303, created.statusCode());
        // the secret is on the page after the redirect, once: a reload shows it no more (and creates nothing)
        String location = created.getHeader("Location");
        assertTrue(admin.request().get(location).asString().contains("you will not see it again"));
        String again = admin.request().get(location).asString();
        assertFalse(again.contains("you will not see it again") || again.contains("whsec_"), again);
    }

    @Test
    void anotherEnvironmentsPagesAnswer404() {
        ConsoleClient adminOfA = new ConsoleClient(suite.console().url());
        assertEquals(303, adminOfA.signIn(adminOfAId, adminOfASecret).statusCode());
        String picker = adminOfA.get("/environments").asString();
        assertTrue(picker.contains(envA), "the picker lists A");
        assertFalse(picker.contains(envB), "the picker does not list B");
        for (String page : pages(envB).stream().filter(p -> p.contains(envB)).toList()) {
            assertEquals(404, adminOfA.get(page).statusCode(), page);
        }
        assertEquals(404, adminOfA.get("/environments/" + envB + "/webhooks/" + webhookOfB + "/edit").statusCode());
        String csrf = adminOfA.csrfOf("/environments/" + envA + "/credentials");
        assertEquals(404, adminOfA.request().formParam("_csrf", csrf)
                .post(adminOfA.base + "/environments/" + envB + "/webhooks/" + webhookOfB + "/delete").statusCode());
        // B's webhook is still there
        admin().get(suite.webhooks.url() + "/api/v1/environments/" + envB + "/webhooks/" + webhookOfB).then()
                .statusCode(200);
        // A webhook of B addressed under A is B's API 404 too
        assertEquals(404, adminOfA.get("/environments/" + envA + "/webhooks/" + webhookOfB + "/edit").statusCode());
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndSecureExceptOnLocalhost() {
        ConsoleClient c = new ConsoleClient(suite.console().url());
        Response local = c.signIn(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET);
        String cookie = local.getHeaders().getValues("Set-Cookie").stream()
                .filter(h -> h.startsWith("keyhook_console=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains("Secure"), "no Secure flag on localhost: " + cookie);
        assertTrue(cookie.contains("Max-Age="), "the session ends with the token: " + cookie);

        // reached under a real host name (as behind an ingress), the cookies are Secure
        Response form = given().redirects().follow(false).header("Host", "console.example.com")
                .get(c.base + "/sign-in");
        String signInCookie = form.getHeaders().getValues("Set-Cookie").stream()
                .filter(h -> h.startsWith("keyhook_console_signin=")).findFirst().orElseThrow();
        assertTrue(signInCookie.contains("Secure") && signInCookie.contains("HttpOnly"), signInCookie);
        Response remote = given().redirects().follow(false).header("Host", "console.example.com")
                .cookie("keyhook_console_signin", form.getCookie("keyhook_console_signin"))
                .formParam("_csrf", ConsoleClient.csrf(form.asString())).formParam("clientId", Suite.OPERATOR_ID)
                .formParam("clientSecret", Suite.OPERATOR_SECRET).post(c.base + "/sign-in");
        String secure = remote.getHeaders().getValues("Set-Cookie").stream()
                .filter(h -> h.startsWith("keyhook_console=")).findFirst().orElseThrow();
        assertTrue(secure.contains("Secure"), secure);
    }

    @Test
    void signInRefusesWrongOrNonAdminCredentialsAndSignOutEndsTheSession() {
        ConsoleClient c = new ConsoleClient(suite.console().url());
        Response wrong = c.signIn(Suite.OPERATOR_ID, "not-the-secret");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.asString().contains("do not match an active admin client"), wrong.asString());

        var apiClient = admin().body(Map.of("name", "an app"))
                .post(suite.credentials.url() + "/api/v1/environments/" + envA + "/clients").then().statusCode(201)
                .extract();
        Response app = c.signIn(apiClient.path("clientId"), apiClient.path("secret.value"));
        assertEquals(401, app.statusCode(), "an API client's credentials do not open the console");
        assertTrue(app.asString().contains("not an admin client"), app.asString());

        // the sign-in form's own CSRF token
        Response forged = given().redirects().follow(false).formParam("_csrf", "forged")
                .formParam("clientId", Suite.OPERATOR_ID).formParam("clientSecret", Suite.OPERATOR_SECRET)
                .post(c.base + "/sign-in");
        assertEquals(401, forged.statusCode());
        assertEquals(null, forged.getCookie("keyhook_console"));

        assertEquals(303, c.signIn(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET).statusCode());
        String session = c.session;
        assertNotNull(session);
        assertEquals(200, c.get("/environments").statusCode());
        String csrf = c.csrfOf("/environments");
        assertEquals(403, c.request().post(c.base + "/sign-out").statusCode(), "sign-out is a form too");
        Response out = c.request().formParam("_csrf", csrf).post(c.base + "/sign-out");
        assertEquals(303, out.statusCode());
        assertTrue(out.getHeaders().getValues("Set-Cookie").stream()
                .anyMatch(h -> h.startsWith("keyhook_console=;") && h.contains("Max-Age=0")), "cookie cleared");
        ConsoleClient replay = new ConsoleClient(c.base);
        replay.session = session;
        assertEquals(303, replay.get("/environments").statusCode(), "the old session id opens nothing");
    }

    @Test
    void theWebhookLimitIsExplainedWhenReached() {
        ConsoleClient admin = signedIn();
        // before anything is filled in: the list offers no form, and the form page says why
        String list = admin.get("/environments/" + envB + "/webhooks").asString();
        assertTrue(list.contains("as many webhooks as it may have") && !list.contains("Create a webhook</a>"), list);
        String form = admin.get("/environments/" + envB + "/webhooks/new").asString();
        assertTrue(form.contains("as many webhooks as it may have") && !form.contains("id=\"url\""), form);
        // a submit anyway (an old tab) is refused and lands on the list, which says why
        String csrf = admin.csrfOf("/environments/" + envB + "/webhooks");
        Response second = admin.request().formParam("_csrf", csrf).formParam("url", "http://127.0.0.1:9/second")
                .formParam("method", "standard-webhooks").formParam("notificationTypes", "patients.updated")
                .formParam("secretIds", secretOfB).post(admin.base + "/environments/" + envB + "/webhooks/new");
        assertEquals(303, second.statusCode());
        assertTrue(second.getHeader("Location").endsWith("/environments/" + envB + "/webhooks"),
                second.getHeader("Location"));
        String page = admin.get("/environments/" + envB + "/webhooks").asString();
        assertTrue(page.contains("as many webhooks as it may have") && page.contains("max-per-environment"), page);
    }

    /**
     * A refused form sends the browser back to the form's own page (post/redirect/get), which shows the API's message
     * next to the field and what was typed; the page after that is the plain form again: nothing is resent.
     */
    @Test
    void aRefusedFormShowsTheApisMessageNextToTheField() {
        ConsoleClient admin = signedIn();
        String csrf = admin.csrfOf("/environments/" + envA + "/webhooks/new");
        Response bad = admin.request().formParam("_csrf", csrf).formParam("url", "ftp://example.com/x")
                .formParam("method", "standard-webhooks").formParam("notificationTypes", "patients.updated")
                .formParam("secretIds", secretOfA).post(admin.base + "/environments/" + envA + "/webhooks/new");
        assertEquals(303, bad.statusCode(), "not a page at the action's URL");
        assertTrue(bad.getHeader("Location").endsWith("/environments/" + envA + "/webhooks/new"),
                bad.getHeader("Location"));
        String page = admin.get("/environments/" + envA + "/webhooks/new").asString();
        assertTrue(page.matches("(?s).*<p class=\"field-error\" id=\"url-message\"[^>]*>[^<]+</p>.*"),
                "a message next to the URL field:\n" + page);
        assertTrue(page.contains("Destination URL"), "the error names the field as the form does");
        assertTrue(page.contains("value=\"ftp://example.com/x\""), "what was typed is kept");
        String reloaded = admin.get("/environments/" + envA + "/webhooks/new").asString();
        assertTrue(!reloaded.contains("ftp://example.com/x") && !reloaded.contains("class=\"error\""),
                "a reload is the plain form");
    }

    /** Every action a page offers, refused by the API, lands on a page a browser can show again. */
    @Test
    void aRefusedActionLandsOnARealPage() {
        ConsoleClient admin = signedIn();
        String e = "/environments/" + envA;
        String csrf = admin.csrfOf(e + "/webhooks");
        for (String[] action : List.of(new String[] { "/webhooks/wh_missing/pause", "/webhooks" },
                new String[] { "/webhooks/wh_missing/delete", "/webhooks" },
                new String[] { "/credentials/clients/cl_missing/secrets", "/credentials" },
                new String[] { "/deliveries/wh_missing/dl_missing/attempt-now", "/deliveries?webhook=wh_missing" })) {
            Response r = admin.request().formParam("_csrf", csrf).post(admin.base + e + action[0]);
            assertEquals(303, r.statusCode(), action[0]);
            assertTrue(r.getHeader("Location").endsWith(e + action[1]), action[0] + " -> " + r.getHeader("Location"));
            Response shown = admin.get(r.getHeader("Location").replaceFirst("^https?://[^/]+", ""));
            assertEquals(200, shown.statusCode(), action[1]);
            assertTrue(shown.asString().contains("class=\"error\""), "the reason is on the page: " + action[0]);
        }
    }

    static List<String> pages(String env) {
        String e = "/environments/" + env;
        return List.of("/environments", e + "/credentials", e + "/webhooks", e + "/webhooks/new", e + "/rotations",
                e + "/rotations/new", e + "/deliveries", e + "/audit");
    }

    static List<String> forms(String env) {
        String e = "/environments/" + env;
        return List.of(e + "/credentials/clients", e + "/credentials/clients/cl_x/secrets",
                e + "/credentials/clients/cl_x/secrets/sec_x/invalidate", e + "/webhooks/new",
                e + "/webhooks/wh_x/edit", e + "/webhooks/wh_x/pause", e + "/webhooks/wh_x/resume",
                e + "/webhooks/wh_x/delete", e + "/rotations", e + "/rotations/rot_x/finish",
                e + "/deliveries/wh_x/dl_x/redeliver", e + "/deliveries/wh_x/dl_x/attempt-now",
                e + "/deliveries/wh_x/replay", e + "/clients/cl_x/keys", e + "/clients/cl_x/settings",
                e + "/key-rotations/cl_x", e + "/key-rotations/cl_x/krot_x/finish",
                e + "/key-rotations/cl_x/krot_x/cancel", e + "/signing-keys/wh_x",
                e + "/signing-keys/wh_x/whk_x/retire");
    }

    private ConsoleClient signedIn() {
        ConsoleClient c = new ConsoleClient(suite.console().url());
        assertEquals(303, c.signIn(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET).statusCode());
        return c;
    }

    private static RequestSpecification admin() {
        return setup.admin();
    }
}
