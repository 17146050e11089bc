package io.keyhook.token.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;

import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Interop with software nobody here wrote: Nimbus OAuth 2.0 SDK as the client (client_secret_basic, client_secret_post,
 * RFC 7523 assertion), Nimbus JOSE + Tink verifying the token against the published JWKS, the curl binary with
 * {@code -u id:secret}, and openid-client (npm, {@code src/test/node}) with both client authentication methods.
 */
@QuarkusTest
class InteropTest {

    @Inject
    CredentialView view;

    @TestHTTPResource("/oauth2/token")
    URL tokenEndpoint;

    @TestHTTPResource("/.well-known/jwks.json")
    URL jwks;

    private TestClients.Client known() {
        return Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(TestClients.environment())));
    }

    @Test
    void nimbusClientGetsATokenThatNimbusVerifiesAgainstTheJwks() throws Exception {
        TestClients.Client c = known();
        for (var auth : List.of(new ClientSecretBasic(new ClientID(c.clientId()), new Secret(c.secret().value())),
                new ClientSecretPost(new ClientID(c.clientId()), new Secret(c.secret().value())))) {
            TokenResponse response = TokenResponse.parse(
                    new TokenRequest(tokenEndpoint.toURI(), auth, new ClientCredentialsGrant(), new Scope("read"))
                            .toHTTPRequest().send());
            assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
            AccessTokenResponse ok = response.toSuccessResponse();
            assertEquals("read", ok.getTokens().getAccessToken().getScope().toString());
            JWTClaimsSet claims = verify(ok.getTokens().getAccessToken().getValue());
            assertEquals(c.clientId(), claims.getSubject());
            assertEquals(c.environment(), claims.getStringClaim("env"));
        }
    }

    @Test
    void nimbusJwtBearerGrantIsAccepted() throws Exception {
        TestClients.Client c = known();
        JWTClaimsSet assertionClaims = new JWTClaimsSet.Builder().issuer(c.clientId()).subject(c.clientId())
                .audience("https://keyhook.test/oauth2/token")
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).issueTime(new Date())
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT assertion = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), assertionClaims);
        assertion.sign(new MACSigner(c.secret().value().getBytes(StandardCharsets.UTF_8)));
        TokenResponse response = TokenResponse
                .parse(new TokenRequest.Builder(tokenEndpoint.toURI(), new JWTBearerGrant(assertion)).build()
                        .toHTTPRequest().send());
        assertTrue(response.indicatesSuccess());
        assertEquals(c.secret().id(), verify(response.toSuccessResponse().getTokens().getAccessToken().getValue())
                .getStringClaim("secret_id"));

        // the same assertion again is refused the standard way
        TokenResponse replay = TokenResponse
                .parse(new TokenRequest.Builder(tokenEndpoint.toURI(), new JWTBearerGrant(assertion)).build()
                        .toHTTPRequest().send());
        assertEquals("invalid_grant", ((TokenErrorResponse) replay).getErrorObject().getCode());
    }

    @Test
    void curlWithTheSecretAsGeneratedWorks() throws Exception {
        TestClients.Client c = known();
        Process curl = new ProcessBuilder("curl", "-sS", "-u", c.clientId() + ":" + c.secret().value(), "-d",
                "grant_type=client_credentials", tokenEndpoint.toString()).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor());
        String token = com.nimbusds.jose.util.JSONObjectUtils.parse(out).get("access_token").toString();
        assertEquals(c.clientId(), verify(token).getSubject());
    }

    /**
     * Issue 28, point 9b: openid-client (npm) with {@code client_secret_post} reads {@code invalid_client} from a
     * refusal. On main the refusal carried a {@code Basic} challenge, so the library threw a
     * {@code WWWAuthenticateChallengeError} whose {@code error} was undefined.
     */
    @Test
    void openidClientReadsInvalidClientFromAFailedClientSecretPost() throws Exception {
        TestClients.Client c = known();
        assertEquals("{\"token\":true}", openidClient("post", c.clientId(), c.secret().value()));
        assertEquals("{\"name\":\"ResponseBodyError\",\"error\":\"invalid_client\",\"status\":401}",
                openidClient("post", c.clientId(), "whsec_wrong"));
        assertEquals("{\"token\":true}", openidClient("basic", c.clientId(), c.secret().value()));
        // Basic: the challenge RFC 6749 asks for, which the library reports as such
        assertEquals("{\"name\":\"WWWAuthenticateChallengeError\",\"error\":null,\"status\":401}",
                openidClient("basic", c.clientId(), "whsec_wrong"));
    }

    /** Runs src/test/node/client-credentials.mjs (openid-client 6) once; its one line of output. */
    private String openidClient(String auth, String clientId, String secret) throws Exception {
        Path dir = Path.of("src/test/node");
        if (!Files.isDirectory(dir.resolve("node_modules/openid-client"))) {
            assertEquals(0,
                    run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())).exit(),
                    "npm ci");
        }
        ProcessBuilder node = new ProcessBuilder("node", "client-credentials.mjs").directory(dir.toFile());
        node.environment().putAll(Map.of("TOKEN_URL", tokenEndpoint.toString(), "ISSUER", "https://keyhook.test/",
                "CLIENT_ID", clientId, "CLIENT_SECRET", secret, "AUTH", auth));
        Run r = run(node);
        assertEquals(0, r.exit(), r.out());
        String[] lines = r.out().strip().split("\n");
        return lines[lines.length - 1];
    }

    private record Run(int exit, String out) {
    }

    private static Run run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        return new Run(p.exitValue(), out);
    }

    /** Verifies like a resource server that knows nothing but the JWKS URL, the issuer and its audience. */
    private JWTClaimsSet verify(String token) throws Exception {
        JWKSet keys = load();
        SignedJWT jwt = SignedJWT.parse(token);
        OctetKeyPair key = (OctetKeyPair) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(jwt.verify(new Ed25519Verifier(key)), "signature verifies with the published key");

        assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
        assertEquals(JWSAlgorithm.EdDSA, jwt.getHeader().getAlgorithm());
        // Nimbus's key selectors do not hand out OKP keys, so the claims are checked with its verifier directly
        new DefaultJWTClaimsVerifier<SecurityContext>("keyhook-api",
                new JWTClaimsSet.Builder().issuer("https://keyhook.test/").build(),
                java.util.Set.of("sub", "client_id", "exp", "iat", "jti", "env")).verify(jwt.getJWTClaimsSet(), null);
        return jwt.getJWTClaimsSet();
    }

    private JWKSet load() throws IOException, java.text.ParseException {
        try (var in = URI.create(jwks.toString()).toURL().openStream()) {
            return JWKSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
