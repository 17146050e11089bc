package io.keyhook.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.UnresolvableKeyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.keyhook.common.config.AdminTokensConfig;

/**
 * With several token-service replicas, the one that made a key signs with it while a JWKS fetch may reach another that
 * has not loaded it yet: a token of an announced key waits for the key instead of being refused, and a made-up key is
 * refused without waiting (issue 28, point 3).
 */
class AnnouncedSigningKeysTest {

    private HttpServer jwks;
    private final AtomicBoolean carriesNewKey = new AtomicBoolean();
    private EllipticCurveJsonWebKey oldKey;
    private EllipticCurveJsonWebKey newKey;
    private AnnouncedSigningKeys keys;

    @BeforeEach
    void start() throws Exception {
        oldKey = key("k-old");
        newKey = key("k-new");
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            String body = "{\"keys\":[" + oldKey.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                    + (carriesNewKey.get() ? "," + newKey.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY) : "")
                    + "]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        jwks.start();
        keys = new AnnouncedSigningKeys(config(), "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
    }

    @AfterEach
    void stop() {
        keys.stop(null);
        jwks.stop(0);
    }

    @Test
    void aTokenOfAnAnnouncedKeyWaitsForTheJwksToCarryIt() throws Exception {
        assertEquals(oldKey.getPublicKey(), keys.resolveKey(signed(oldKey), List.of()));
        keys.onAdded(new SigningKeyAdded("k-new"));
        // the JWKS (another replica) carries the new key only a moment after the key's first token arrives
        Thread lagging = new Thread(() -> {
            sleep(400);
            carriesNewKey.set(true);
        });
        lagging.start();
        assertEquals(newKey.getPublicKey(), keys.resolveKey(signed(newKey), List.of()));
        lagging.join();
    }

    @Test
    void aMadeUpKeyIsRefusedWithoutWaiting() throws Exception {
        keys.resolveKey(signed(oldKey), List.of());
        long started = System.nanoTime();
        JsonWebSignature madeUp = signed(key("k-made-up"));
        assertThrows(UnresolvableKeyException.class, () -> keys.resolveKey(madeUp, List.of()));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1500,
                "a made-up kid must not be held up like an announced one");
    }

    /** A compact JWS as a verifier receives it: parsed, with no key set. */
    private static JsonWebSignature signed(EllipticCurveJsonWebKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{}");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setKey(key.getPrivateKey());
        JsonWebSignature received = new JsonWebSignature();
        received.setCompactSerialization(jws.getCompactSerialization());
        return received;
    }

    private static EllipticCurveJsonWebKey key(String kid) throws Exception {
        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId(kid);
        key.setUse("sig");
        return key;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static AdminTokensConfig.Keys config() {
        return new AdminTokensConfig.Keys() {
            @Override
            public Duration unknownKeyRefetchInterval() {
                return Duration.ofMillis(250);
            }

            @Override
            public Duration announcedKeyWait() {
                return Duration.ofSeconds(10);
            }

            @Override
            public Duration announcedKeyPoll() {
                return Duration.ofMillis(100);
            }

            @Override
            public Duration announcedKeyRequestWait() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration fetchTimeout() {
                return Duration.ofSeconds(2);
            }
        };
    }
}
