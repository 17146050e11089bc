package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.from;
import static io.keyhook.token.support.OAuth.newAddress;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;

import io.keyhook.token.support.CredentialsStub;
import io.keyhook.token.support.KeyClients;
import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * private_key_jwt client authentication (RFC 7523 section 2.2) by SMART App Launch 2 Backend Services' rules, with
 * inline keys; Nimbus OAuth SDK's {@code PrivateKeyJWT} is the client nobody here wrote.
 */
@QuarkusTest
class PrivateKeyJwtTest {

    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Inject
    CredentialView view;

    @TestHTTPResource("/oauth2/token")
    URL tokenEndpoint;

    static Response token(String address, String assertion) {
        return from(address).formParam("grant_type", "client_credentials").formParam("client_assertion_type", TYPE)
                .formParam("client_assertion", assertion).post("/oauth2/token");
    }

    private KeyClients.Client known(KeyClients.Client c) {
        KeyClients.publish(c);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            KnownClient k = view.client(c.clientId());
            return k != null && k.privateKeyJwt() && k.active() == "active".equals(c.status())
                    && k.keys().size() == c.keys().size();
        });
        return c;
    }

    @Test
    void nimbusPrivateKeyJwtWithAnEs384AndAnRs384KeyGetsAFiveMinuteToken() throws Exception {
        ECKey ec = KeyClients.ec(Curve.P_384);
        RSAKey rsa = KeyClients.rsa(2048);
        KeyClients.Client c = known(KeyClients.inline(ec, rsa));
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID(c.clientId()),
                new Audience(KeyClients.AUDIENCE));
        for (PrivateKeyJWT auth : List.of(
                new PrivateKeyJWT(claims, JWSAlgorithm.ES384, (java.security.PrivateKey) ec.toECPrivateKey(),
                        ec.getKeyID(), null),
                new PrivateKeyJWT(
                        new JWTAuthenticationClaimsSet(new ClientID(c.clientId()), new Audience(KeyClients.AUDIENCE)),
                        JWSAlgorithm.RS384, (java.security.PrivateKey) rsa.toRSAPrivateKey(), rsa.getKeyID(), null))) {
            TokenResponse response = TokenResponse
                    .parse(new TokenRequest.Builder(tokenEndpoint.toURI(), auth, new ClientCredentialsGrant()).build()
                            .toHTTPRequest().send());
            assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
            AccessTokenResponse ok = response.toSuccessResponse();
            assertEquals(300, ok.getTokens().getAccessToken().getLifetime());
            assertEquals("Bearer", ok.getTokens().getAccessToken().getType().getValue());
            assertEquals("read write", ok.getTokens().getAccessToken().getScope().toString());
            var payload = OAuth.part(ok.getTokens().getAccessToken().getValue(), 1);
            assertEquals(c.clientId(), payload.path("client_id").asText());
            assertEquals(c.clientId() + ".private_key_jwt", payload.path("secret_id").asText());
        }
    }

    @Test
    void everyAllowedAlgorithmIsAcceptedAndTheAnswerHasTheSmartFields() {
        List<JWK> keys = List.of(KeyClients.ec(Curve.P_256), KeyClients.ec(Curve.P_384), KeyClients.rsa(2048),
                KeyClients.ed25519());
        KeyClients.Client c = known(KeyClients.inline(keys.toArray(JWK[]::new)));
        for (JWK key : keys) {
            List<JWSAlgorithm> algs = key instanceof RSAKey ? List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384)
                    : List.of(KeyClients.algOf(key));
            for (JWSAlgorithm alg : algs) {
                String a = KeyClients.sign(key, KeyClients.header(alg, key.getKeyID()).build(),
                        KeyClients.claims(c.clientId(), 60).build());
                token(newAddress(), a).then().statusCode(200).header("Cache-Control", "no-store")
                        .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(300))
                        .body("scope", equalTo("read write")).body("access_token", notNullValue());
            }
        }
    }

    @Test
    void openidClientsAssertionWithoutTypAndWithTheIssuerAsAudienceIsAccepted() {
        ECKey key = KeyClients.ec(Curve.P_384);
        KeyClients.Client c = known(KeyClients.inline(key));
        // as openid-client 6 signs it: header {alg, kid}, aud = the issuer
        String a = KeyClients.sign(key, new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID()).build(),
                KeyClients.claims(c.clientId(), 60).audience("https://keyhook.test/").build());
        from(newAddress()).formParam("grant_type", "client_credentials").formParam("client_id", c.clientId())
                .formParam("client_assertion_type", TYPE).formParam("client_assertion", a).post("/oauth2/token").then()
                .statusCode(200);
    }

    @Test
    void everyFlawedAssertionIsInvalidClient() throws Exception {
        ECKey key = KeyClients.ec(Curve.P_384);
        RSAKey rsa = KeyClients.rsa(2048);
        KeyClients.Client c = known(KeyClients.inline(key, rsa));
        String id = c.clientId();
        String kid = key.getKeyID();
        byte[] hmacKey = new byte[32];
        new SecureRandom().nextBytes(hmacKey);
        SignedJWT hs = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(JOSEObjectType.JWT).build(),
                KeyClients.claims(id, 60).build());
        hs.sign(new MACSigner(hmacKey));
        ECKey impostor = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(Curve.P_384).keyID(kid).generate();
        ECKey otherP384 = KeyClients.ec(Curve.P_384);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("HS256", hs.serialize());
        cases.put("alg none", KeyClients.b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}") + "."
                + KeyClients.b64(KeyClients.claims(id, 60).build().toString()) + ".");
        cases.put("typ at+jwt",
                KeyClients.sign(key,
                        KeyClients.header(JWSAlgorithm.ES384, kid).type(new JOSEObjectType("at+jwt")).build(),
                        KeyClients.claims(id, 60).build()));
        cases.put("no kid",
                KeyClients.sign(key, new JWSHeader.Builder(JWSAlgorithm.ES384).type(JOSEObjectType.JWT).build(),
                        KeyClients.claims(id, 60).build()));
        cases.put("unknown kid", KeyClients.sign(key, KeyClients.header(JWSAlgorithm.ES384, "nope").build(),
                KeyClients.claims(id, 60).build()));
        cases.put("kty not fitting alg", KeyClients.sign(otherP384,
                KeyClients.header(JWSAlgorithm.ES384, rsa.getKeyID()).build(), KeyClients.claims(id, 60).build()));
        cases.put("signed by another key with the kid", KeyClients.sign(impostor,
                KeyClients.header(JWSAlgorithm.ES384, kid).build(), KeyClients.claims(id, 60).build()));
        cases.put("wrong aud", sign(key, KeyClients.claims(id, 60).audience("https://elsewhere/token").build()));
        cases.put("expired", sign(key, KeyClients.claims(id, -120).build()));
        cases.put("exp 10 min ahead", sign(key, KeyClients.claims(id, 600).build()));
        cases.put("no exp", sign(key, KeyClients.claims(id, 60).expirationTime(null).build()));
        cases.put("no jti", sign(key, KeyClients.claims(id, 60).jwtID(null).build()));
        cases.put("sub not iss", sign(key, KeyClients.claims(id, 60).subject("cl_other").build()));
        cases.put("iss not the client (Inferno)", sign(key, KeyClients.claims("not_a_client_id", 60).build()));
        cases.put("iss another client", sign(key, KeyClients.claims("cl_nobody", 60).subject("cl_nobody").build()));
        cases.put("nbf ahead", sign(key,
                KeyClients.claims(id, 120).notBeforeTime(new Date(System.currentTimeMillis() + 100_000)).build()));
        cases.put("jku not registered", KeyClients.sign(key,
                KeyClients.header(JWSAlgorithm.ES384, kid).jwkURL(URI.create("http://127.0.0.1:1/jwks")).build(),
                KeyClients.claims(id, 60).build()));
        cases.put("not a JWT", "abc.def");
        for (Map.Entry<String, String> x : cases.entrySet()) {
            Response r = token(newAddress(), x.getValue());
            assertEquals(401, r.statusCode(), x.getKey() + ": " + r.asString());
            assertEquals("invalid_client", r.path("error"), x.getKey());
        }
        // client_id, when sent, must be the assertion's iss
        from(newAddress()).formParam("grant_type", "client_credentials").formParam("client_id", "cl_someone_else")
                .formParam("client_assertion_type", TYPE).formParam("client_assertion", KeyClients.assertion(c))
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        // and nothing above spoilt the client
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
    }

    private static String sign(ECKey key, JWTClaimsSet claims) {
        return KeyClients.sign(key, KeyClients.header(JWSAlgorithm.ES384, key.getKeyID()).build(), claims);
    }

    @Test
    void aWrongGrantTypeOrAssertionTypeIs400AsSmartTestKitsCheck() {
        KeyClients.Client c = known(KeyClients.inline(KeyClients.ec(Curve.P_384)));
        from(newAddress()).formParam("grant_type", "not_a_grant_type").formParam("client_assertion_type", TYPE)
                .formParam("client_assertion", KeyClients.assertion(c)).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("unsupported_grant_type"));
        from(newAddress()).formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "not_an_assertion_type")
                .formParam("client_assertion", KeyClients.assertion(c)).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        from(newAddress()).formParam("grant_type", "client_credentials").formParam("client_assertion_type", TYPE)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        from(newAddress()).formParam("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .formParam("assertion", "a.b.c").formParam("client_assertion_type", TYPE)
                .formParam("client_assertion", KeyClients.assertion(c)).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void aSecretAndAnAssertionTogetherAre400() {
        TestClients.Client secretClient = TestClients.publish(TestClients.apiClient(TestClients.environment()));
        KeyClients.Client c = known(KeyClients.inline(KeyClients.ec(Curve.P_384)));
        from(newAddress()).auth().preemptive().basic(secretClient.clientId(), secretClient.secret().value())
                .formParam("grant_type", "client_credentials").formParam("client_assertion_type", TYPE)
                .formParam("client_assertion", KeyClients.assertion(c)).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        from(newAddress()).formParam("grant_type", "client_credentials").formParam("client_id", c.clientId())
                .formParam("client_secret", "whsec_x").formParam("client_assertion_type", TYPE)
                .formParam("client_assertion", KeyClients.assertion(c)).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void eachClientProvesItselfOnlyTheWayItIsRegistered() {
        // a client_secret client presenting an assertion signed by a key it never registered
        TestClients.Client secretClient = io.keyhook.token.support.Views.awaitKnown(view,
                TestClients.publish(TestClients.apiClient(TestClients.environment())));
        ECKey key = KeyClients.ec(Curve.P_384);
        token(newAddress(),
                KeyClients.sign(key, KeyClients.header(JWSAlgorithm.ES384, key.getKeyID()).build(),
                        KeyClients.claims(secretClient.clientId(), 60).build())).then().statusCode(401).body("error",
                                equalTo("invalid_client"));
        // a private_key_jwt client whose record still lists an active secret: the secret is refused
        TestClients.Secret leftOver = TestClients.newSecret();
        KeyClients.Client c = known(KeyClients.inline(KeyClients.ec(Curve.P_384)).withSecret(leftOver));
        OAuth.basic(newAddress(), c.clientId(), leftOver.value()).then().statusCode(401).body("error",
                equalTo("invalid_client"));
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
    }

    @Test
    void anAssertionIsAcceptedOnce() {
        KeyClients.Client c = known(KeyClients.inline(KeyClients.ed25519()));
        String a = KeyClients.assertion(c);
        token(newAddress(), a).then().statusCode(200);
        token(newAddress(), a).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void theSameAssertionSentTwiceAtOnceGetsOneToken() throws Exception {
        KeyClients.Client c = known(KeyClients.inline(KeyClients.ec(Curve.P_384)));
        for (int round = 0; round < 3; round++) {
            String a = KeyClients.assertion(c);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<Integer>> both = pool.invokeAll(
                        List.of(() -> token(newAddress(), a).statusCode(), () -> token(newAddress(), a).statusCode()));
                List<Integer> statuses = new java.util.ArrayList<>();
                for (var f : both) {
                    statuses.add(f.get());
                }
                statuses.sort(null);
                assertEquals(List.of(200, 401), statuses);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void disablingTheClientRevokesItsTokensLikeASecretClients() {
        KeyClients.Client c = known(KeyClients.inline(KeyClients.ec(Curve.P_384)));
        String token = token(newAddress(), KeyClients.assertion(c)).then().statusCode(200).extract()
                .path("access_token");
        String credential = OAuth.part(token, 1).path("secret_id").asText();
        List<CredentialView.Revoked> revoked = new java.util.concurrent.CopyOnWriteArrayList<>();
        view.onRevoked(revoked::add);
        known(c.disable());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> revoked.stream()
                .anyMatch(r -> r.secretId().equals(credential) && r.reason().equals("client_disabled")));
        assertTrue(!view.client(c.clientId()).honours(credential));
    }

    @Test
    void aClientTheViewDoesNotKnowYetIsLookedUpOnce() {
        KeyClients.Client c = KeyClients.publishToApiOnly(KeyClients.inline(KeyClients.ec(Curve.P_256)));
        long before = lookupsOf(c.clientId());
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
        assertEquals(1, lookupsOf(c.clientId()) - before);
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
        assertEquals(1, lookupsOf(c.clientId()) - before);
    }

    private static long lookupsOf(String clientId) {
        return CredentialsStub.shared().requests().stream()
                .filter(r -> r.equals("GET /internal/v1/clients/" + clientId)).count();
    }

    @Test
    void aDisabledClientIsRefused() {
        KeyClients.Client c = known(KeyClients.inline(KeyClients.ec(Curve.P_384)));
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
        known(c.disable());
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aCorrectAssertionIsNotRefusedBecauseOfFailuresOthersMade() {
        ECKey key = KeyClients.ec(Curve.P_384);
        KeyClients.Client c = known(KeyClients.inline(key));
        String address = newAddress();
        ECKey wrong = KeyClients.ec(Curve.P_384);
        int status = 0;
        for (int i = 0; i < 30 && status != 429; i++) {
            status = token(address,
                    KeyClients.sign(wrong, KeyClients.header(JWSAlgorithm.ES384, key.getKeyID()).build(),
                            KeyClients.claims(c.clientId(), 60).build())).statusCode();
        }
        assertEquals(429, status, "the failure limit blocks the pair");
        token(address, KeyClients.assertion(c)).then().statusCode(200);
    }

    @Test
    void keyUsesAreReportedToCredentialsService() {
        ECKey key = KeyClients.ec(Curve.P_384);
        KeyClients.Client c = known(KeyClients.inline(key));
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> CredentialsStub.shared().keyUsageReports().stream()
                        .anyMatch(r -> r.contains("\"clientId\":\"" + c.clientId() + "\"")
                                && r.contains("\"kid\":\"" + key.getKeyID() + "\"") && r.contains("\"usedAt\":\"20")));
        assertTrue(CredentialsStub.shared().keyUsageReports().stream().allMatch(r -> r.startsWith("{\"uses\":[")));
    }

    @Test
    void smartConfigurationAndMetadataListPrivateKeyJwt() {
        from(newAddress()).get("/.well-known/smart-configuration").then().statusCode(200)
                .body("token_endpoint", equalTo(KeyClients.AUDIENCE))
                .body("grant_types_supported", equalTo(List.of("client_credentials")))
                .body("token_endpoint_auth_methods_supported",
                        hasItems("private_key_jwt", "client_secret_basic", "client_secret_post"))
                .body("token_endpoint_auth_signing_alg_values_supported",
                        equalTo(List.of("RS384", "ES384", "ES256", "RS256", "EdDSA")))
                .body("scopes_supported", hasItems("system/*.read", "system/*.rs"))
                .body("capabilities", equalTo(List.of("client-confidential-asymmetric", "permission-v2")));
        from(newAddress()).get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("token_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("token_endpoint_auth_signing_alg_values_supported", hasItems("RS384", "ES384"));
    }

    private static String assertion(KeyClients.Client c, JWK key) {
        return KeyClients.sign(key, KeyClients.header(KeyClients.algOf(key), key.getKeyID()).build(),
                KeyClients.claims(c.clientId(), 60).build());
    }

    private static Response withAssertion(String address, String path, String token, String assertion) {
        return from(address).formParam("token", token).formParam("client_assertion_type", TYPE)
                .formParam("client_assertion", assertion).post(path);
    }

    @Test
    void aClientWithNoSecretIntrospectsAndRevokesItsTokensWithAnAssertion() {
        ECKey key = KeyClients.ec(Curve.P_256);
        KeyClients.Client c = known(KeyClients.inline(key));
        String address = newAddress();
        String access = token(address, assertion(c, key)).then().statusCode(200).extract().path("access_token");

        String once = assertion(c, key);
        withAssertion(address, "/oauth2/introspect", access, once).then().statusCode(200).body("active", equalTo(true))
                .body("client_id", equalTo(c.clientId()));
        // an assertion's jti is spent at introspection as at the token endpoint
        withAssertion(address, "/oauth2/introspect", access, once).then().statusCode(401).body("error",
                equalTo("invalid_client"));
        from(address).formParam("token", access).formParam("client_assertion_type", "urn:example:other")
                .formParam("client_assertion", assertion(c, key)).post("/oauth2/introspect").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        from(address).formParam("token", access).formParam("client_id", c.clientId())
                .formParam("client_secret", "whsec_not-a-secret").formParam("client_assertion_type", TYPE)
                .formParam("client_assertion", assertion(c, key)).post("/oauth2/revoke").then().statusCode(400)
                .body("error", equalTo("invalid_request"));

        withAssertion(address, "/oauth2/revoke", access, assertion(c, key)).then().statusCode(200);
        withAssertion(address, "/oauth2/introspect", access, assertion(c, key)).then().statusCode(200).body("active",
                equalTo(false));
    }

    @Test
    void metadataListsPrivateKeyJwtForIntrospectionAndRevocation() {
        from(newAddress()).get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("introspection_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("revocation_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("introspection_endpoint_auth_signing_alg_values_supported", hasItems("RS384", "ES384"));
    }
}
