package io.keyhook.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.keyhook.common.security.AdminTokenGuard;
import io.keyhook.common.security.SigningKeyRevoked;
import io.smallrye.mutiny.Uni;

/** The service token's life: one issuance for concurrent callers, renewal at half-life, drops that race safely. */
class ServiceTokenTest {

    /** Issues tokens (in name) of key {@code kid}; an issuance completes once {@code gate} is. */
    private static final class Issuer implements ServiceTokenIssuer {
        final AtomicInteger issued = new AtomicInteger();
        volatile String kid = "k_one";
        volatile Duration lifetime = Duration.ofMinutes(15);
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

        @Override
        public Uni<Issued> issue() {
            Issued t = new Issued(jwt(kid, issued.incrementAndGet()), Instant.now().plus(lifetime));
            return Uni.createFrom().completionStage(gate).replaceWith(t);
        }
    }

    private final Issuer issuer = new Issuer();
    private final ServiceToken token = new ServiceToken(() -> issuer, new AdminTokenGuard());

    @Test
    void callersAtTheSameTimeShareOneIssuance() {
        issuer.gate = new CompletableFuture<>();
        List<Uni<ServiceToken.Held>> calls = List.of(token.current(), token.current(), token.current());
        var results = calls.stream().map(u -> u.subscribe().asCompletionStage()).toList();
        issuer.gate.complete(null);
        ServiceToken.Held first = results.get(0).join();
        results.forEach(r -> assertSame(first, r.join()));
        assertEquals(1, issuer.issued.get());
    }

    @Test
    void aTokenIsReusedUntilHalfItsLifetime() {
        ServiceToken.Held first = token.current().await().indefinitely();
        assertSame(first, token.current().await().indefinitely());
        issuer.lifetime = Duration.ZERO;
        token.refused(first);
        ServiceToken.Held due = token.current().await().indefinitely();
        assertNotEquals(due, token.current().await().indefinitely(), "a token past half its lifetime is renewed");
    }

    @Test
    void aTokenOfARevokedKeyIsDroppedAndRenewedAtOnce() {
        ServiceToken.Held first = token.current().await().indefinitely();
        issuer.kid = "k_two";
        token.onRevoked(new SigningKeyRevoked("k_other"));
        assertSame(first, token.current().await().indefinitely(), "another key's revocation changes nothing");
        token.onRevoked(new SigningKeyRevoked("k_one"));
        assertEquals(2, issuer.issued.get(), "renewed at once, not at the next call");
        assertEquals("k_two", token.current().await().indefinitely().kid());
    }

    @Test
    void aRefusalOfATokenAlreadyReplacedDropsNothing() {
        ServiceToken.Held first = token.current().await().indefinitely();
        token.refused(first);
        ServiceToken.Held second = token.current().await().indefinitely();
        token.refused(first); // a late 401 of a call made with the first token
        assertSame(second, token.current().await().indefinitely());
        assertEquals(2, issuer.issued.get());
    }

    private static String jwt(String kid, int n) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(("{\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8)) + ".sig";
    }
}
