package io.keyhook.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.config.AdminTokensConfig;
import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.common.contract.Topics;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.testing.ContractSamples;
import io.keyhook.testing.KafkaBroker;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The guard's decisions, without Quarkus: fed the contract's sample records (as credentials-service and token-service
 * publish them), it refuses exactly the tokens they revoke or narrow; before its views have loaded it judges no
 * Keyhook-issued token; with the check off it refuses nothing.
 */
class AdminTokenGuardTest {

    static final ObjectMapper JSON = ContractSamples.mapper();

    final List<String> events = new ArrayList<>();

    static SmallRyeConfig config(Map<String, String> values) {
        // "10s" as Quarkus reads durations
        return new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(AdminTokensConfig.class).withMapping(KafkaSettings.class).withDefaultValues(values)
                .build();
    }

    AdminTokenGuard guard(boolean check, KafkaSettings kafkaSettings, KafkaClients kafka) {
        SmallRyeConfig c = config(Map.of("keyhook.admin-tokens.check", String.valueOf(check)));
        return new AdminTokenGuard(c.getConfigMapping(AdminTokensConfig.class), kafka, kafkaSettings, JSON,
                e -> events.add("revoked " + e.kid()), e -> events.add("added " + e.kid()));
    }

    AdminTokenGuard guard() {
        return guard(true, null, null);
    }

    /** A Keyhook-issued admin token of ops-robot (the sample's admin client). */
    static Map<String, Object> token(String secretId) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("client_id", "ops-robot");
        claims.put("secret_id", secretId);
        claims.put("groups", Set.of("integration-admin"));
        claims.put(Roles.ENVIRONMENTS_CLAIM, Set.of("prod-1"));
        claims.put("iat", now() - 5);
        claims.put("jti", "jti-" + UUID.randomUUID());
        claims.put("raw_token", jws("k-current"));
        return claims;
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static String jws(String kid) {
        String header = "{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8))
                + ".e30.c2ln";
    }

    static JsonWebToken jwt(Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return String.valueOf(claims.get("client_id"));
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }

            @Override
            public long getIssuedAtTime() {
                return (Long) claims.get("iat");
            }
        };
    }

    static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> out = new HashMap<>(claims);
        out.put(name, value);
        return out;
    }

    void publish(AdminTokenGuard guard, String sample) {
        if (sample.startsWith("keyhook.credentials")) {
            ClientStateRecord c = Topics.CREDENTIALS.read(JSON, "ops-robot", ContractSamples.json(sample));
            guard.applyClient("ops-robot", c);
        } else {
            guard.applyRevocation(Topics.TOKEN_REVOCATIONS.read(JSON, "any", ContractSamples.json(sample)));
        }
    }

    @Test
    void anAdminsTokenStandsWhileItsClientAndSecretAllowIt() {
        AdminTokenGuard guard = guard();
        publish(guard, "keyhook.credentials.admin");

        assertNull(guard.refusal(jwt(token("sec_AdminA"))));
        assertNull(guard.refusal(jwt(with(token("sec_AdminA"), "groups", List.of("\"platform-operator\"")))),
                "a claim's values may come quoted");
    }

    @Test
    void whatTheClientsRecordNarrowedIsRefused() {
        AdminTokenGuard guard = guard();
        publish(guard, "keyhook.credentials.admin");

        assertEquals("the secret the token was issued under is no longer active",
                guard.refusal(jwt(token("sec_AdminB"))));
        assertEquals("the admin client's groups were narrowed",
                guard.refusal(jwt(with(token("sec_AdminA"), "groups", Set.of("keyhook-service")))));
        assertEquals("the admin client's Environments were narrowed",
                guard.refusal(jwt(with(token("sec_AdminA"), Roles.ENVIRONMENTS_CLAIM, Set.of("sandbox")))));

        String disabled = ContractSamples.json("keyhook.credentials.admin").replace("\"status\":\"active\",\"groups\"",
                "\"status\":\"disabled\",\"groups\"");
        guard.applyClient("ops-robot", Topics.CREDENTIALS.read(JSON, "ops-robot", disabled));
        assertEquals("the admin client is disabled", guard.refusal(jwt(token("sec_AdminA"))));
    }

    @Test
    void aDeletedOrUnknownClientsTokenIsRefusedOnceTheGraceIsOver() {
        AdminTokenGuard guard = guard();
        publish(guard, "keyhook.credentials.admin");
        guard.removeClient("ops-robot"); // the tombstone

        assertNull(guard.refusal(jwt(token("sec_AdminA"))), "issued 5 s ago: within the 10 s grace");
        assertEquals("the admin client no longer exists",
                guard.refusal(jwt(with(token("sec_AdminA"), "iat", now() - 60))));
    }

    @Test
    void revocationsOfEachKindRefuseWhatTheyName() {
        AdminTokenGuard guard = guard();
        publish(guard, "keyhook.credentials.admin");
        publish(guard, "keyhook.token-revocations.token");
        publish(guard, "keyhook.token-revocations.secret");
        publish(guard, "keyhook.token-revocations.signing_key");
        publish(guard, "keyhook.token-revocations.signing_key_added");

        assertEquals("the token was revoked", guard.refusal(jwt(with(token("sec_AdminA"), "jti", "jti-7f3a"))));
        long revokedAt = Instant.parse("2026-11-28T15:23:28Z").getEpochSecond();
        assertEquals("the secret the token was issued under was revoked",
                guard.refusal(jwt(with(token("sec_Old1"), "iat", revokedAt))));
        assertEquals("the key that signed the token was revoked",
                guard.refusal(jwt(with(token("sec_AdminA"), "raw_token", jws("k-2026-11")))));
        assertTrue(guard.keyRevoked("k-2026-11"));
        assertFalse(guard.keyRevoked("k-2026-12"), "an added key is not a revoked one");
        assertEquals(List.of("revoked k-2026-11", "added k-2026-12"), events);
        assertNull(guard.refusal(jwt(token("sec_AdminA"))), "a token none of them names still stands");
    }

    @Test
    void beforeItsViewsHaveLoadedNoKeyhookTokenIsJudged() {
        AdminTokenGuard guard = guard();

        assertFalse(guard.canJudge(jwt(token("sec_AdminA"))), "it would have to wait for the views");
        assertTrue(guard.canJudge(jwt(Map.of("client_id", "someone", "iat", now()))),
                "an outside provider's token is not the guard's to judge");
        assertFalse(guard.whenLoaded().toCompletableFuture().isDone());
        assertFalse(guard.ready());
    }

    @Test
    void withTheCheckOffNothingIsRefusedAndNothingWaits() {
        AdminTokenGuard guard = guard(false, null, null);
        publish(guard, "keyhook.credentials.admin");

        assertNull(guard.refusal(jwt(token("sec_AdminB"))));
        assertTrue(guard.canJudge(jwt(token("sec_AdminB"))));
        assertTrue(guard.ready());
        assertTrue(new AdminTokenGuard().ready(), "the guard that reads nothing checks nothing");
    }

    @Test
    void itLoadsBothTopicsThenJudges() throws Exception {
        String suffix = UUID.randomUUID().toString();
        String credentials = "guard-credentials-" + suffix;
        String revocations = "guard-revocations-" + suffix;
        KafkaBroker broker = KafkaBroker.shared();
        try (var producer = new KafkaProducer<>(broker.clientProperties(), new StringSerializer(),
                new StringSerializer())) {
            producer.send(
                    new ProducerRecord<>(credentials, "ops-robot", ContractSamples.json("keyhook.credentials.admin")))
                    .get(10, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(revocations, "sec_AdminA",
                    ContractSamples.json("keyhook.token-revocations.token"))).get(10, TimeUnit.SECONDS);
        }
        KafkaSettings settings = config(Map.of("keyhook.kafka.credentials-topic", credentials,
                "keyhook.kafka.revocations-topic", revocations, "keyhook.kafka.partitions", "1"))
                        .getConfigMapping(KafkaSettings.class);
        AdminTokenGuard guard = guard(true, settings,
                KafkaClients.of(broker.bootstrapServers(), broker.securityProperties()));
        JsonWebToken revoked = jwt(with(token("sec_AdminA"), "jti", "jti-7f3a"));
        assertFalse(guard.canJudge(revoked));

        guard.follow("guard-test");
        try {
            guard.whenLoaded().toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertTrue(guard.canJudge(revoked));
            assertEquals("the token was revoked", guard.refusal(revoked));
            assertEquals("the secret the token was issued under is no longer active",
                    guard.refusal(jwt(token("sec_AdminB"))));
            assertTrue(guard.ready());
            assertEquals(Map.of(credentials, "caught up", revocations, "caught up"), guard.viewStates());
        } finally {
            guard.stop(null);
        }
    }
}
