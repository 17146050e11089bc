package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import io.restassured.response.Response;

/**
 * The console's issue-30 screens against the real suite: a private_key_jwt client registered with a pasted JWKS, its
 * page with its keys, replacing them, its scopes and token lifetime; credentials-service's refusal of an unsafe JWKS
 * URL next to the field; a v1a webhook's signing keys (whpk_, JWKS), Add key, a verified Retire refused by a receiver
 * that does not answer, then Retire anyway; a webhook's own whsec_ secret shown once. (The key rotation pages call
 * credentials-service's key-rotation API; console's KeyRotationPagesTest covers them.)
 */
class ConsoleKeysE2ETest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern CLIENT_PAGE = Pattern.compile("/environments/[^/]+/clients/(cl_[0-9A-Za-z]+)");
    static final Pattern KEY_ROW = Pattern.compile("<tr id=\"key-(whk_[0-9A-Za-z]+)\">");

    static Suite suite;
    static Setup setup;
    static String env;

    @BeforeAll
    static void world() {
        suite = Suite.get();
        suite.console();
        setup = Setup.of(suite);
        env = setup.environment("console-keys", "Console keys", "patients");
    }

    @Test
    void aPrivateKeyJwtClientIsRegisteredWithAPastedJwksAndItsPageListsTheKeys() throws Exception {
        ConsoleClient admin = signedIn();
        String e = "/environments/" + env;
        ECKey k1 = new ECKeyGenerator(Curve.P_256).keyID("app-2026-12").algorithm(JWSAlgorithm.ES256).generate();
        String csrf = admin.csrfOf(e + "/credentials");

        Response created = admin.request().formParam("_csrf", csrf).formParam("name", "backend app")
                .formParam("authMethod", "private_key_jwt").formParam("keySource", "jwks").formParam("jwks", jwks(k1))
                .post(admin.base + e + "/credentials/clients");

        assertEquals(303, created.statusCode());
        Matcher m = CLIENT_PAGE.matcher(created.getHeader("Location"));
        assertTrue(m.find(), created.getHeader("Location"));
        String client = m.group(1);
        String page = admin.get(e + "/clients/" + client + "?done=client-created").asString();
        assertTrue(page.contains("<code class=\"kid\">app-2026-12</code>"), page);
        assertTrue(page.contains("EC/P-256") && page.contains("ES256"), page);
        assertTrue(page.contains("Rotate key"), page);

        // replacing the keys: the page lists the new one only
        ECKey k2 = new ECKeyGenerator(Curve.P_256).keyID("app-2027-01").algorithm(JWSAlgorithm.ES256).generate();
        csrf = admin.csrfOf(e + "/clients/" + client);
        Response replaced = admin.request().formParam("_csrf", csrf).formParam("keySource", "jwks")
                .formParam("jwks", jwks(k2)).post(admin.base + e + "/clients/" + client + "/keys");
        assertEquals(303, replaced.statusCode());
        page = admin.get(e + "/clients/" + client).asString();
        assertTrue(page.contains(">app-2027-01<") && !page.contains(">app-2026-12<"), page);

        // scopes and token lifetime
        Response saved = admin.request().formParam("_csrf", csrf).formParam("scopes", "system/patients.rs")
                .formParam("tokenLifetimeSeconds", "900").post(admin.base + e + "/clients/" + client + "/settings");
        assertEquals(303, saved.statusCode());
        page = admin.get(e + "/clients/" + client).asString();
        assertTrue(page.contains("<code>system/patients.rs</code>") && page.contains("900 seconds"), page);
    }

    @Test
    void anUnsafeJwksUriIsRefusedNextToTheFieldWithTheInputKept() {
        ConsoleClient admin = signedIn();
        String e = "/environments/" + env;
        String csrf = admin.csrfOf(e + "/credentials");

        Response refused = admin.request().formParam("_csrf", csrf).formParam("name", "url app")
                .formParam("authMethod", "private_key_jwt").formParam("keySource", "jwksUri")
                .formParam("jwksUri", "https://10.0.0.5/jwks.json").post(admin.base + e + "/credentials/clients");

        assertEquals(303, refused.statusCode());
        String page = admin.get(e + "/credentials").asString();
        assertTrue(
                page.matches("(?s).*<p class=\"field-error\" id=\"jwksUri-error\">[^<]*\\(jwks_uri_[a-z_]+\\)</p>.*"),
                page);
        assertTrue(page.contains("value=\"https://10.0.0.5/jwks.json\"") && page.contains("value=\"url app\""), page);
    }

    @Test
    void aV1aWebhooksSigningKeysAreAddedAndAVerifiedRetireCanBeOverriddenWithAReason() {
        ConsoleClient admin = signedIn();
        // an Environment of its own: the suite allows one webhook per Environment
        String e = "/environments/" + setup.environment("console-v1a", "Console v1a", "patients");
        String csrf = admin.csrfOf(e + "/webhooks/new");
        Response created = admin.request().formParam("_csrf", csrf).formParam("url", "http://127.0.0.1:9/v1a")
                .formParam("method", "standard-webhooks").formParam("signing", "v1a")
                .formParam("notificationTypes", "patients.updated").post(admin.base + e + "/webhooks/new");
        assertEquals(303, created.statusCode());
        String keysPage = created.getHeader("Location").replaceFirst("^https?://[^/]+", "").replaceFirst("\\?.*$", "");
        assertTrue(keysPage.matches(e + "/signing-keys/wh_[0-9A-Za-z]+"), keysPage);

        String page = admin.get(keysPage).asString();
        assertTrue(page.contains("<code class=\"public-key\">whpk_") && page.contains("Ed25519 (v1a)"), page);
        assertTrue(page.contains("&quot;kty&quot; : &quot;OKP&quot;"), "the JWKS: " + page);
        String first = keys(page).get(0);

        Response added = admin.request().formParam("_csrf", csrf).post(admin.base + keysPage);
        assertEquals(303, added.statusCode());
        page = admin.get(keysPage).asString();
        assertEquals(2, keys(page).size(), page);

        // the receiver (nothing listens on port 9) cannot accept the verification ping: refused, with the outcome
        Response retire = admin.request().formParam("_csrf", csrf)
                .post(admin.base + keysPage + "/" + first + "/retire");
        assertEquals(303, retire.statusCode());
        page = admin.get(keysPage).asString();
        assertTrue(page.contains("<p id=\"ping-outcome\">") && page.contains("Retire anyway"), page);
        assertTrue(page.contains("retire_not_verified") || page.contains("did not accept"), page);

        Response anyway = admin.request().formParam("_csrf", csrf).formParam("override", "true")
                .formParam("reason", "receiver updated by hand").post(admin.base + keysPage + "/" + first + "/retire");
        assertEquals(303, anyway.statusCode());
        page = admin.get(keysPage + "?done=overridden").asString();
        assertTrue(page.contains("retired without the proof"), page);
        assertTrue(page.matches("(?s).*<tr id=\"key-" + first + "\">.*?retired.*?</tr>.*"), page);
    }

    @Test
    void aWebhooksOwnSecretIsShownOnce() {
        ConsoleClient admin = signedIn();
        String e = "/environments/" + setup.environment("console-own", "Console own secret", "patients");
        String csrf = admin.csrfOf(e + "/webhooks/new");
        Response created = admin.request().formParam("_csrf", csrf).formParam("url", "http://127.0.0.1:9/own")
                .formParam("method", "standard-webhooks").formParam("signing", "generated")
                .formParam("notificationTypes", "patients.updated").post(admin.base + e + "/webhooks/new");
        assertEquals(303, created.statusCode());
        String location = created.getHeader("Location").replaceFirst("^https?://[^/]+", "");

        String page = admin.get(location).asString();
        assertTrue(page.contains("value=\"whsec_"), "shown once: " + page);
        assertTrue(page.contains("whsec_ secret (v1)"), page);
        assertFalse(admin.get(location).asString().contains("value=\"whsec_"), "and never again");
    }

    private static List<String> keys(String page) {
        Matcher m = KEY_ROW.matcher(page);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String jwks(ECKey key) throws Exception {
        return JSON.writeValueAsString(Map.of("keys", List.of(key.toPublicJWK().toJSONObject())));
    }

    private ConsoleClient signedIn() {
        ConsoleClient c = new ConsoleClient(suite.console().url());
        assertEquals(303, c.signIn(Suite.OPERATOR_ID, Suite.OPERATOR_SECRET).statusCode());
        return c;
    }
}
