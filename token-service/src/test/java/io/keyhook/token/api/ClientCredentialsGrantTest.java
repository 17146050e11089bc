package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.from;
import static io.keyhook.token.support.OAuth.newAddress;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.token.support.Assertions;
import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** RFC 6749 section 4.4 and its error paths (section 5.2). */
@QuarkusTest
class ClientCredentialsGrantTest {

    @Inject
    CredentialView view;

    private TestClients.Client known() {
        return Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(TestClients.environment())));
    }

    @Test
    void basicAuthenticationIssuesAnRfc9068AccessToken() {
        TestClients.Client c = known();
        Response r = basic(c);
        r.then().statusCode(200).contentType("application/json").header("Cache-Control", "no-store")
                .header("Pragma", "no-cache").body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .body("scope", equalTo("read write")).body("refresh_token", nullValue());
        String jwt = r.path("access_token");
        JsonNode header = OAuth.part(jwt, 0);
        JsonNode claims = OAuth.part(jwt, 1);
        assertEquals("EdDSA", header.path("alg").asText());
        assertEquals("at+jwt", header.path("typ").asText());
        assertFalse(header.path("kid").asText().isEmpty());
        assertEquals("https://keyhook.test/", claims.path("iss").asText());
        assertEquals(c.clientId(), claims.path("sub").asText());
        assertEquals(c.clientId(), claims.path("client_id").asText());
        assertEquals("keyhook-api", claims.path("aud").asText());
        assertEquals(c.environment(), claims.path("env").asText());
        assertEquals(c.secret().id(), claims.path("secret_id").asText());
        assertEquals("read write", claims.path("scope").asText());
        assertEquals(900, claims.path("exp").asLong() - claims.path("iat").asLong());
        assertEquals(claims.path("iat").asLong(), claims.path("nbf").asLong());
        assertFalse(claims.path("jti").asText().isEmpty());
        assertTrue(Math.abs(claims.path("iat").asLong() - System.currentTimeMillis() / 1000) < 5);
    }

    @Test
    void postAuthenticationAndRequestedScopeWork() {
        TestClients.Client c = known();
        from(newAddress()).formParam("grant_type", "client_credentials").formParam("client_id", c.clientId())
                .formParam("client_secret", c.secret().value()).formParam("scope", "read").post("/oauth2/token").then()
                .statusCode(200).body("scope", equalTo("read")).body("access_token", not(emptyOrNullString()));
    }

    @Test
    void basicCredentialsAreFormUrlDecodedPerSection231() {
        TestClients.Client c = known();
        // a client that encodes even safe characters must still be understood
        String encodedId = c.clientId().replace("_", "%5F");
        from(newAddress()).header("Authorization", OAuth.basicHeader(encodedId, c.secret().value()))
                .formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(200);
    }

    @Test
    void unknownClientWrongSecretInvalidatedSecretAndDisabledClientAllLookTheSame() {
        TestClients.Client c = known();
        TestClients.Client withOld = Views.awaitKnown(view, TestClients.publish(c.withSecret()));
        String oldSecret = withOld.secrets().get(0).value();
        TestClients.Client invalidated = Views.awaitKnown(view,
                TestClients.publish(withOld.invalidate(withOld.secrets().get(0).id())));
        TestClients.Client disabled = Views.awaitKnown(view,
                TestClients.publish(TestClients.apiClient(c.environment())));
        Views.awaitKnown(view, TestClients.publish(disabled.disable()));

        for (Response r : new Response[] { basic(newAddress(), "cl_doesNotExist", c.secret().value()),
                basic(newAddress(), c.clientId(), "whsec_wrong"),
                basic(newAddress(), invalidated.clientId(), oldSecret),
                basic(newAddress(), disabled.clientId(), disabled.secret().value()) }) {
            r.then().statusCode(401).header("WWW-Authenticate", "Basic realm=\"keyhook\"")
                    .header("Cache-Control", "no-store").body("error", equalTo("invalid_client"))
                    .body("error_description", equalTo("client authentication failed"));
        }
        // the rotated-in secret still works
        basic(newAddress(), invalidated.clientId(), invalidated.secrets().get(1).value()).then().statusCode(200);
    }

    /**
     * Issue 28, point 9b: RFC 6749 section 5.2 asks for the {@code Basic} challenge when the client authenticated with
     * the Authorization header, and only then. On main a {@code client_secret_post} failure carried it too, and
     * openid-client then reported a challenge instead of {@code invalid_client}.
     */
    @Test
    void onlyAFailureOfTheAuthorizationHeaderCarriesTheBasicChallenge() {
        TestClients.Client c = known();
        String a = newAddress();
        basic(a, c.clientId(), "whsec_wrong").then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"keyhook\"").body("error", equalTo("invalid_client"));
        from(a).header("Authorization", "Bearer something").formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401).header("WWW-Authenticate", "Basic realm=\"keyhook\"")
                .body("error", equalTo("invalid_client"));
        Response post = from(a).formParam("grant_type", "client_credentials").formParam("client_id", c.clientId())
                .formParam("client_secret", "whsec_wrong").post("/oauth2/token");
        post.then().statusCode(401).body("error", equalTo("invalid_client"));
        assertNull(post.header("WWW-Authenticate"), "client_secret_post: no challenge");
        Response none = from(a).formParam("grant_type", "client_credentials").post("/oauth2/token");
        none.then().statusCode(401).body("error", equalTo("invalid_client"));
        assertNull(none.header("WWW-Authenticate"), "no credentials at all: no challenge");
        Response assertion = from(a).formParam("grant_type", JwtBearerGrantTest.GRANT)
                .formParam("assertion",
                        Assertions.hs256(
                                Assertions.claims(c.clientId(), Assertions.AUDIENCE, 60, "jti-" + System.nanoTime()),
                                "whsec_wrong"))
                .post("/oauth2/token");
        assertion.then().statusCode(400).body("error", equalTo("invalid_grant"));
        assertNull(assertion.header("WWW-Authenticate"), "an assertion: no challenge");
        // introspection and revocation answer the same way
        for (String path : new String[] { "/oauth2/introspect", "/oauth2/revoke" }) {
            Response p = from(a).formParam("token", "x").formParam("client_id", c.clientId())
                    .formParam("client_secret", "whsec_wrong").post(path);
            p.then().statusCode(401).body("error", equalTo("invalid_client"));
            assertNull(p.header("WWW-Authenticate"), path + " with client_secret_post: no challenge");
            from(a).auth().preemptive().basic(c.clientId(), "whsec_wrong").formParam("token", "x").post(path).then()
                    .statusCode(401).header("WWW-Authenticate", "Basic realm=\"keyhook\"");
        }
    }

    @Test
    void bothAuthenticationMethodsAtOnceIsInvalidRequest() {
        TestClients.Client c = known();
        from(newAddress()).auth().preemptive().basic(c.clientId(), c.secret().value())
                .formParam("grant_type", "client_credentials").formParam("client_id", c.clientId())
                .formParam("client_secret", c.secret().value()).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void requestErrorsFollowSection52() {
        TestClients.Client c = known();
        String a = newAddress();
        // no client authentication at all
        from(a).formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(401).body("error",
                equalTo("invalid_client"));
        // missing grant_type
        from(a).auth().preemptive().basic(c.clientId(), c.secret().value()).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        // unsupported grant type
        from(a).auth().preemptive().basic(c.clientId(), c.secret().value()).formParam("grant_type", "password")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        // repeated parameter
        from(a).auth().preemptive().basic(c.clientId(), c.secret().value())
                .body("grant_type=client_credentials&scope=read&scope=write").post("/oauth2/token").then()
                .statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("parameter scope is repeated"));
        // scope outside what the client may have, and a malformed one
        from(a).auth().preemptive().basic(c.clientId(), c.secret().value())
                .formParam("grant_type", "client_credentials").formParam("scope", "read admin").post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
        from(a).auth().preemptive().basic(c.clientId(), c.secret().value())
                .formParam("grant_type", "client_credentials").formParam("scope", "re\"ad").post("/oauth2/token").then()
                .statusCode(400).body("error", equalTo("invalid_scope"));
        // not a form body
        io.restassured.RestAssured.given().header("X-Forwarded-For", a).contentType("application/json")
                .body("{\"grant_type\":\"client_credentials\"}").post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        // client_id in the body that contradicts Basic
        from(a).auth().preemptive().basic(c.clientId(), c.secret().value())
                .formParam("grant_type", "client_credentials").formParam("client_id", "cl_someoneElse")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    /**
     * The endpoint is a plain Vert.x route (TokenRoute): what Quarkus REST did for it, it must still do, and answer in
     * RFC 6749's shape, never cached.
     */
    @Test
    void theRouteChecksMethodTypeAndSizeAndAnswersOAuthErrors() throws Exception {
        TestClients.Client c = known();
        String a = newAddress();
        io.restassured.RestAssured.given().header("X-Forwarded-For", a).get("/oauth2/token").then().statusCode(405)
                .header("Allow", "POST").header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .contentType("application/json").body("error", equalTo("invalid_request"));
        var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var token = java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + "/oauth2/token");
        // no Content-Type at all
        var untyped = http.send(java.net.http.HttpRequest.newBuilder(token).header("X-Forwarded-For", a)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, untyped.statusCode(), untyped.body());
        assertTrue(untyped.body().contains("\"invalid_request\""), untyped.body());
        // a charset parameter is fine
        from(a).auth().preemptive().basic(c.clientId(), c.secret().value())
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").body("grant_type=client_credentials")
                .post("/oauth2/token").then().statusCode(200).header("Cache-Control", "no-store");
        // over keyhook.http.max-request-body: said by Content-Length, and streamed without one (chunked)
        String big = "grant_type=client_credentials&pad=" + "x".repeat(70_000);
        from(a).auth().preemptive().basic(c.clientId(), c.secret().value()).body(big).post("/oauth2/token").then()
                .statusCode(413).body("error", equalTo("invalid_request"));
        var chunked = java.net.http.HttpRequest.newBuilder(token)
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", a)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build();
        var answer = http.send(chunked, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(413, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"invalid_request\""), answer.body());
        // a chunked body under the limit is read whole
        var small = java.net.http.HttpRequest.newBuilder(token)
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", a)
                .header("Authorization",
                        "Basic " + java.util.Base64.getEncoder()
                                .encodeToString((c.clientId() + ":" + c.secret().value())
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        ("grant_type=client_credentials&pad=" + "y".repeat(20_000))
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build();
        var ok = http.send(small, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode(), ok.body());
    }

    /** A chunked body over the limit is refused and its connection closed, rather than read on to its end. */
    @Test
    void anOversizedChunkedBodyClosesItsConnection() throws Exception {
        try (var socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(5000);
            var out = socket.getOutputStream();
            out.write(("POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + newAddress()
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] chunk = new byte[70_000];
            java.util.Arrays.fill(chunk, (byte) 'x');
            out.write(
                    (Integer.toHexString(chunk.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            // the client never ends its body: only the server closing the connection ends this read
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("\"invalid_request\""), answer);
        }
    }
}
