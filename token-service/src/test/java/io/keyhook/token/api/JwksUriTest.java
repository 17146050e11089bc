package io.keyhook.token.api;

import static io.keyhook.token.api.PrivateKeyJwtTest.token;
import static io.keyhook.token.support.OAuth.newAddress;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.sun.net.httpserver.HttpExchange;

import io.keyhook.testing.StubHttpServer;
import io.keyhook.token.support.KeyClients;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A private_key_jwt client's {@code jwksUri}, served by a real HTTP server on loopback (allowed in tests by
 * {@code keyhook.webhooks.destinations.allowed-cidrs}, as the local suite allows it for webhooks): Cache-Control, the
 * refetch on an unknown kid and its rate limit, one shared fetch, the size cap, the deadline, no redirects, the
 * destination rule, and jku pinning.
 */
@QuarkusTest
class JwksUriTest {

    /** What one path of the JWKS server answers. */
    record Served(int status, String body, String cacheControl, long delayMillis, String location) {
    }

    private static final Map<String, Served> SERVED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> FETCHES = new ConcurrentHashMap<>();
    private static final StubHttpServer JWKS = new StubHttpServer(JwksUriTest::serve);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(6);

    @Inject
    CredentialView view;

    private static void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        FETCHES.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Served s = SERVED.get(path);
        if (s == null) {
            StubHttpServer.respond(ex, 404, "{}");
            return;
        }
        if (s.delayMillis() > 0) {
            try {
                Thread.sleep(s.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (s.cacheControl() != null) {
            ex.getResponseHeaders().set("Cache-Control", s.cacheControl());
        }
        if (s.location() != null) {
            ex.getResponseHeaders().set("Location", s.location());
        }
        byte[] bytes = s.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        try {
            ex.sendResponseHeaders(s.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException closedByTheFetcher) {
            // the fetcher hangs up on an answer too long or too late: that is the point
        }
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** A new path on the JWKS server serving these keys. */
    private static String serving(List<JWK> keys, String cacheControl) {
        String path = "/jwks/" + UUID.randomUUID();
        SERVED.put(path, new Served(200, KeyClients.publicJwks(keys), cacheControl, 0, null));
        return path;
    }

    private static String url(String path) {
        return JWKS.url() + path;
    }

    private static int fetches(String path) {
        AtomicInteger n = FETCHES.get(path);
        return n == null ? 0 : n.get();
    }

    private KeyClients.Client known(KeyClients.Client c) {
        KeyClients.publish(c);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            KnownClient k = view.client(c.clientId());
            return k != null && c.jwksUri().equals(k.jwksUri());
        });
        return c;
    }

    @Test
    void keysAreCachedAsLongAsMaxAgeAllows() {
        ECKey key = KeyClients.ec(Curve.P_384);
        String path = serving(List.of(key), "public, max-age=600");
        KeyClients.Client c = known(KeyClients.atUri(url(path), key));
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
        assertEquals(1, fetches(path));
    }

    @Test
    void noStoreKeysAreNeverKept() {
        ECKey key = KeyClients.ec(Curve.P_384);
        String path = serving(List.of(key), "no-store");
        KeyClients.Client c = known(KeyClients.atUri(url(path), key));
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
        assertEquals(2, fetches(path));
    }

    @Test
    void anUnknownKidFetchesOnceMoreAndMadeUpKidsCannotMakeUsHammerTheUri() {
        ECKey first = KeyClients.ec(Curve.P_384);
        String path = serving(List.of(first), "max-age=600");
        KeyClients.Client c = known(KeyClients.atUri(url(path), first));
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(200);
        assertEquals(1, fetches(path));
        // the client adds a key at its URI and signs with it: once the refetch interval (3 s in tests) has passed
        // since the last fetch, one refetch finds it
        ECKey second = KeyClients.ec(Curve.P_256);
        SERVED.put(path, new Served(200, KeyClients.publicJwks(List.of(first, second)), "max-age=600", 0, null));
        KeyClients.Client rotated = c.withKeys(List.of(second));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> token(newAddress(), KeyClients.assertion(rotated)).statusCode() == 200);
        assertEquals(2, fetches(path));
        // made-up kids: refused, and the URI fetched at most once per interval
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            ECKey made = KeyClients.ec(Curve.P_384);
            token(newAddress(),
                    KeyClients.sign(made, KeyClients.header(JWSAlgorithm.ES384, made.getKeyID()).build(),
                            KeyClients.claims(c.clientId(), 60).build())).then().statusCode(401).body("error",
                                    equalTo("invalid_client"));
        }
        long intervals = Duration.ofNanos(System.nanoTime() - t0).toSeconds() / 3;
        assertTrue(fetches(path) <= 2 + intervals, fetches(path) + " fetches in " + intervals + " intervals");
    }

    @Test
    void assertionsArrivingTogetherShareOneFetch() throws Exception {
        ECKey key = KeyClients.ec(Curve.P_384);
        String path = "/jwks/" + UUID.randomUUID();
        SERVED.put(path, new Served(200, KeyClients.publicJwks(List.of(key)), "max-age=600", 500, null));
        KeyClients.Client c = known(KeyClients.atUri(url(path), key));
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String a = KeyClients.assertion(c);
            calls.add(() -> token(newAddress(), a).statusCode());
        }
        for (Future<Integer> f : POOL.invokeAll(calls)) {
            assertEquals(200, f.get());
        }
        assertEquals(1, fetches(path));
    }

    @Test
    void anAnswerLargerThanTheCapIsRefused() {
        ECKey key = KeyClients.ec(Curve.P_384);
        String jwks = KeyClients.publicJwks(List.of(key));
        // still a JWKS, padded with one long extra member past 64 KiB
        String big = jwks.substring(0, jwks.length() - 1) + ",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        String path = "/jwks/" + UUID.randomUUID();
        SERVED.put(path, new Served(200, big, null, 0, null));
        KeyClients.Client c = known(KeyClients.atUri(url(path), key));
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(401).body("error", equalTo("invalid_client"));
        assertEquals(1, fetches(path));
    }

    @Test
    void aSilentPeerCostsNoMoreThanTheDeadline() {
        ECKey key = KeyClients.ec(Curve.P_384);
        String path = "/jwks/" + UUID.randomUUID();
        SERVED.put(path, new Served(200, KeyClients.publicJwks(List.of(key)), null, 20_000, null));
        KeyClients.Client c = known(KeyClients.atUri(url(path), key));
        long t0 = System.nanoTime();
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(401).body("error", equalTo("invalid_client"));
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        // the 3 s deadline, not the peer's 20 s
        assertTrue(seconds < 15, "answered after " + seconds + " s");
    }

    @Test
    void aRedirectIsNotFollowed() {
        ECKey key = KeyClients.ec(Curve.P_384);
        String target = serving(List.of(key), null);
        String path = "/jwks/" + UUID.randomUUID();
        SERVED.put(path, new Served(302, "{}", null, 0, url(target)));
        KeyClients.Client c = known(KeyClients.atUri(url(path), key));
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(401).body("error", equalTo("invalid_client"));
        assertEquals(1, fetches(path));
        assertEquals(0, fetches(target));
    }

    @Test
    void aUriOutsideTheDestinationRuleIsNeverFetched() {
        ECKey key = KeyClients.ec(Curve.P_384);
        String path = serving(List.of(key), null);
        int port = URI.create(JWKS.url()).getPort();
        // ::1 is loopback but not in the allowed 127.0.0.0/8; a userinfo URL is refused whatever its address
        for (String uri : List.of("http://[::1]:" + port + path, "http://user:pw@127.0.0.1:" + port + path)) {
            KeyClients.Client c = known(KeyClients.atUri(uri, key));
            token(newAddress(), KeyClients.assertion(c)).then().statusCode(401).body("error",
                    equalTo("invalid_client"));
        }
        assertEquals(0, fetches(path));
    }

    @Test
    void aJkuMustBeTheRegisteredUriAndNoOtherIsFetched() {
        ECKey key = KeyClients.ec(Curve.P_384);
        String path = serving(List.of(key), "max-age=600");
        String elsewhere = serving(List.of(key), null);
        KeyClients.Client c = known(KeyClients.atUri(url(path), key));
        token(newAddress(),
                KeyClients.sign(key,
                        KeyClients.header(JWSAlgorithm.ES384, key.getKeyID()).jwkURL(URI.create(url(elsewhere)))
                                .build(),
                        KeyClients.claims(c.clientId(), 60).build())).then().statusCode(401).body("error",
                                equalTo("invalid_client"));
        assertEquals(0, fetches(elsewhere));
        token(newAddress(),
                KeyClients.sign(key,
                        KeyClients.header(JWSAlgorithm.ES384, key.getKeyID()).jwkURL(URI.create(url(path))).build(),
                        KeyClients.claims(c.clientId(), 60).build())).then().statusCode(200);
    }

    @Test
    void aPrivateKeyPublishedAtTheUriIsNotUsed() {
        ECKey key = KeyClients.ec(Curve.P_384);
        String path = "/jwks/" + UUID.randomUUID();
        // the private half served by mistake: that key is compromised, so it verifies nothing
        SERVED.put(path, new Served(200, new com.nimbusds.jose.jwk.JWKSet(key).toString(false), null, 0, null));
        KeyClients.Client c = known(KeyClients.atUri(url(path), key));
        token(newAddress(), KeyClients.assertion(c)).then().statusCode(401).body("error", equalTo("invalid_client"));
    }
}
