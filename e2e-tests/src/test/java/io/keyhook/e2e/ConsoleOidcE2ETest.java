package io.keyhook.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.SystemPackages;
import io.restassured.response.Response;

/**
 * The console's optional sign-in with an external OpenID Connect provider: authorization code flow with PKCE, state and
 * nonce. The provider is a stub (a third party) on a real HTTP server; the access token it hands out is a real Keyhook
 * admin token (as a provider the services are configured to trust would issue), so the signed-in admin then works
 * against the real suite.
 */
class ConsoleOidcE2ETest {

    static final String CLIENT_ID = "keyhook-console";
    static final String CLIENT_SECRET = SecretGenerator.newSecret();

    static Suite suite;
    static Provider provider;
    static ServiceProcess console;

    /** The provider: it signs the user in at once and remembers what the code was issued for. */
    static final class Provider {
        record Issued(String challenge, String nonce, String redirectUri) {
        }

        final Map<String, Issued> codes = new ConcurrentHashMap<>();
        volatile String accessToken;
        volatile boolean wrongNonce;
        volatile boolean forgedSignature;
        final com.nimbusds.jose.jwk.RSAKey key = rsa();
        final com.nimbusds.jose.jwk.RSAKey otherKey = rsa();
        final StubHttpServer server = new StubHttpServer(ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/authorize")) {
                Map<String, String> q = form(ex.getRequestURI().getRawQuery());
                if (!CLIENT_ID.equals(q.get("client_id")) || !"S256".equals(q.get("code_challenge_method"))
                        || !"code".equals(q.get("response_type"))) {
                    StubHttpServer.respond(ex, 400, "{\"error\":\"invalid_request\"}");
                    return;
                }
                String code = SecretGenerator.newId("code_");
                codes.put(code, new Issued(q.get("code_challenge"), q.get("nonce"), q.get("redirect_uri")));
                ex.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                        + java.net.URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
                ex.sendResponseHeaders(302, -1);
                ex.close();
            } else if (path.equals("/.well-known/openid-configuration")) {
                StubHttpServer.respond(ex, 200, "{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + url() + "/jwks\"}");
            } else if (path.equals("/jwks")) {
                StubHttpServer.respond(ex, 200, new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString());
            } else if (path.equals("/token")) {
                Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                String basic = "Basic " + Base64.getEncoder()
                        .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
                Issued issued = codes.remove(String.valueOf(f.get("code")));
                if (!basic.equals(ex.getRequestHeaders().getFirst("authorization"))) {
                    StubHttpServer.respond(ex, 401, "{\"error\":\"invalid_client\"}");
                } else if (issued == null || !issued.redirectUri().equals(f.get("redirect_uri"))
                        || !issued.challenge().equals(s256(f.get("code_verifier")))) {
                    StubHttpServer.respond(ex, 400, "{\"error\":\"invalid_grant\"}");
                } else {
                    StubHttpServer.respond(ex, 200,
                            "{\"access_token\":\"" + accessToken + "\",\"token_type\":"
                                    + "\"Bearer\",\"expires_in\":300,\"id_token\":\""
                                    + idToken(wrongNonce ? "not-the-nonce" : issued.nonce()) + "\"}");
                }
            } else {
                StubHttpServer.respond(ex, 404, "{}");
            }
        });

        String url() {
            return server.url();
        }

        static com.nimbusds.jose.jwk.RSAKey rsa() {
            try {
                return new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("provider-key").generate();
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        String idToken(String nonce) {
            try {
                // RS256 with the key its JWKS publishes; a forger signs with another key under the same kid
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                        new JWTClaimsSet.Builder().issuer(url()).audience(CLIENT_ID).subject("dana@clinic.example")
                                .claim("nonce", nonce).issueTime(new java.util.Date())
                                .expirationTime(java.util.Date.from(Instant.now().plusSeconds(300))).build());
                jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(forgedSignature ? otherKey : key));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        suite = Suite.get();
        provider = new Provider();
        Setup setup = Setup.of(suite);
        Setup.Client dana = setup.adminClient("Dana (via the provider)", List.of("integration-admin"), List.of("*"));
        provider.accessToken = Setup.token(suite, dana.id(), dana.secretValue());
        Map<String, String> env = new HashMap<>(suite.env);
        env.put("KEYHOOK_DISPATCHER_URL", suite.dispatcher.url());
        env.put("KEYHOOK_CONSOLE_OIDC_ENABLED", "true");
        env.put("KEYHOOK_CONSOLE_OIDC_PROVIDER_NAME", "Clinic SSO");
        env.put("KEYHOOK_CONSOLE_OIDC_ISSUER", provider.url());
        env.put("KEYHOOK_CONSOLE_OIDC_AUTHORIZATION_ENDPOINT", provider.url() + "/authorize");
        env.put("KEYHOOK_CONSOLE_OIDC_TOKEN_ENDPOINT", provider.url() + "/token");
        env.put("KEYHOOK_CONSOLE_OIDC_CLIENT_ID", CLIENT_ID);
        env.put("KEYHOOK_CONSOLE_OIDC_CLIENT_SECRET", CLIENT_SECRET);
        console = new ServiceProcess("console", "console-oidc", ServiceProcess.freePort(), env, suite.logs);
        console.start();
        Runtime.getRuntime().addShutdownHook(new Thread(console::stop));
    }

    @Test
    void anAdminSignsInThroughTheProviderAndWorksAsThemselves() {
        assertTrue(given().get(console.url() + "/sign-in").asString().contains("Sign in with Clinic SSO"));
        Flow f = startFlow();
        Response signedIn = f.callback(f.code, f.state, f.pendingCookie);
        assertEquals(200, signedIn.statusCode(), signedIn.asString());
        assertTrue(signedIn.asString().contains("http-equiv=\"refresh\""), "a page that moves on, not a redirect");
        String session = signedIn.getCookie("keyhook_console");
        assertNotNull(session);
        String cookie = signedIn.getHeaders().getValues("Set-Cookie").stream()
                .filter(h -> h.startsWith("keyhook_console=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        Response environments = given().redirects().follow(false).cookie("keyhook_console", session)
                .get(console.url() + "/environments");
        assertEquals(200, environments.statusCode());
        assertTrue(environments.asString().contains("dana@clinic.example"), "signed in as the provider's user");

        // the same answer again: the pending sign-in was used up
        Response replay = f.callback(f.code, f.state, f.pendingCookie);
        assertEquals(401, replay.statusCode());
        assertNull(replay.getCookie("keyhook_console"));
    }

    @Test
    void inARealBrowserTheCrossSiteReturnFromTheProviderSignsIn() throws Exception {
        SystemPackages.ensure("chromium", "chromium");
        java.nio.file.Path tests = ServiceProcess.root().resolve("console/browser-tests");
        if (!java.nio.file.Files.isDirectory(tests.resolve("node_modules/playwright-core"))) {
            assertEquals(0, new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(tests.toFile())
                    .inheritIO().start().waitFor());
        }
        ProcessBuilder pb = new ProcessBuilder("node", "oidc.test.mjs").directory(tests.toFile())
                .redirectErrorStream(true);
        pb.environment().put("CONSOLE_URL", console.url());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OIDC SIGN-IN PASSED"), out);
    }

    @Test
    void aCallbackThatDidNotStartHereOrCarriesAnotherNonceIsRefused() {
        Flow f = startFlow();
        Response wrongState = f.callback(f.code, "forged-state", f.pendingCookie);
        assertEquals(401, wrongState.statusCode());
        assertNull(wrongState.getCookie("keyhook_console"));

        Flow g = startFlow();
        Response noCookie = g.callback(g.code, g.state, null);
        assertEquals(401, noCookie.statusCode(), "a callback without this browser's pending sign-in");
        assertNull(noCookie.getCookie("keyhook_console"));

        // issue 14: an ID token whose signature does not verify with the provider's JWKS (it used to be accepted)
        Flow forged = startFlow();
        provider.forgedSignature = true;
        try {
            Response r = forged.callback(forged.code, forged.state, forged.pendingCookie);
            assertEquals(401, r.statusCode());
            assertNull(r.getCookie("keyhook_console"));
        } finally {
            provider.forgedSignature = false;
        }

        Flow h = startFlow();
        provider.wrongNonce = true;
        try {
            Response badNonce = h.callback(h.code, h.state, h.pendingCookie);
            assertEquals(401, badNonce.statusCode());
            assertFalse(badNonce.asString().contains("refresh"));
            assertNull(badNonce.getCookie("keyhook_console"));
        } finally {
            provider.wrongNonce = false;
        }
    }

    /** One sign-in up to the provider's redirect back. */
    record Flow(String code, String state, String pendingCookie) {
        Response callback(String code, String state, String cookie) {
            var r = given().redirects().follow(false).queryParam("code", code).queryParam("state", state);
            if (cookie != null) {
                r = r.cookie("keyhook_console_oidc", cookie);
            }
            return r.get(console.url() + "/sign-in/oidc/callback");
        }
    }

    private static Flow startFlow() {
        Response start = given().redirects().follow(false).get(console.url() + "/sign-in/oidc");
        assertEquals(303, start.statusCode());
        String pendingCookie = start.getCookie("keyhook_console_oidc");
        String setCookie = start.getHeaders().getValues("Set-Cookie").stream()
                .filter(h -> h.startsWith("keyhook_console_oidc=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"), setCookie);
        URI authorize = URI.create(start.getHeader("Location"));
        Map<String, String> q = form(authorize.getRawQuery());
        assertTrue(q.get("code_challenge").length() >= 43 && q.get("nonce") != null, q.toString());
        Response back = given().urlEncodingEnabled(false).redirects().follow(false).get(authorize.toString());
        assertEquals(302, back.statusCode());
        Map<String, String> answer = form(URI.create(back.getHeader("Location")).getRawQuery());
        return new Flow(answer.get("code"), answer.get("state"), pendingCookie);
    }

    static Map<String, String> form(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(verifier).getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
