package io.keyhook.common.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.config.AdminTokensConfig;
import io.keyhook.common.contract.ClientStateRecord;
import io.keyhook.common.contract.RevocationRecord;
import io.keyhook.common.contract.Topics;
import io.keyhook.common.kafka.CompactedTopicView;
import io.keyhook.common.kafka.KafkaClients;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.SuiteTopics;
import io.quarkus.runtime.ApplicationConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Ends an admin's access the moment it is revoked, without a remote call per request. A JWT only proves what was true
 * when it was signed; this guard holds what is true now, in memory, fed by the topics every change already goes to:
 * admin clients' state from {@code keyhook.credentials} (disabled, secret invalidated, groups or Environments narrowed)
 * and revoked secrets and tokens from {@code keyhook.token-revocations} (RFC 7009). A look-up is two map reads.
 * <p>
 * It judges Keyhook-issued admin tokens only (those naming the {@code secret_id} they were issued under); tokens of an
 * outside OIDC provider are that provider's to revoke. Tokens signed by a key revoked in an emergency
 * ({@code kind: signing_key}) are refused whoever holds them.
 */
@ApplicationScoped
public class AdminTokenGuard {

    private static final Logger LOG = Logger.getLogger(AdminTokenGuard.class);
    private static final String ALL = Roles.ALL_ENVIRONMENTS;

    /** What an admin client may do now. */
    record AdminState(boolean active, Set<String> activeSecrets, Set<String> groups, Set<String> environments) {
    }

    /** The settings of a guard that checks nothing. */
    private static final class Unchecked implements AdminTokensConfig {

        static final Unchecked CONFIG = new Unchecked();

        @Override
        public boolean check() {
            return false;
        }

        @Override
        public Duration unknownClientGrace() {
            return Duration.ZERO;
        }

        @Override
        public Duration startWait() {
            return Duration.ZERO;
        }

        @Override
        public Keys keys() {
            throw new UnsupportedOperationException("a guard that checks nothing verifies no key");
        }
    }

    private final AdminTokensConfig config;
    private final KafkaClients kafka;
    private final KafkaSettings kafkaSettings;
    private final ObjectMapper json;
    private final Consumer<SigningKeyRevoked> keyRevoked;
    private final Consumer<SigningKeyAdded> keyAdded;

    private final Map<String, AdminState> admins = new ConcurrentHashMap<>();
    /** secret id → when it was revoked (epoch seconds): tokens issued at or before then are dead. */
    private final Map<String, Long> revokedSecrets = new ConcurrentHashMap<>();
    /** jti → when the token expires anyway (epoch seconds), after which the entry can go. */
    private final Map<String, Long> revokedTokens = new ConcurrentHashMap<>();
    /** Signing keys revoked in an emergency: whatever they signed is refused. */
    private final Set<String> revokedKeys = ConcurrentHashMap.newKeySet();

    private volatile CompactedTopicView<String, ClientStateRecord> clients;
    private volatile CompactedTopicView<String, RevocationRecord> revocations;
    private final CompletableFuture<Void> viewsLoaded = new CompletableFuture<>();

    @Inject
    public AdminTokenGuard(AdminTokensConfig config, KafkaClients kafka, KafkaSettings kafkaSettings, ObjectMapper json,
            Event<SigningKeyRevoked> keyRevoked, Event<SigningKeyAdded> keyAdded) {
        this(config, kafka, kafkaSettings, json, keyRevoked::fire, keyAdded::fire);
    }

    /** As CDI makes it, with what a signing key's revocation or addition is told to. */
    AdminTokenGuard(AdminTokensConfig config, KafkaClients kafka, KafkaSettings kafkaSettings, ObjectMapper json,
            Consumer<SigningKeyRevoked> keyRevoked, Consumer<SigningKeyAdded> keyAdded) {
        this.config = config;
        this.kafka = kafka;
        this.kafkaSettings = kafkaSettings;
        this.json = json;
        this.keyRevoked = keyRevoked;
        this.keyAdded = keyAdded;
    }

    /**
     * A guard that reads no topic and judges no token ({@code keyhook.admin-tokens.check=false}), for code that only
     * asks {@link #keyRevoked}: it knows of no revoked key.
     */
    public AdminTokenGuard() {
        this(Unchecked.CONFIG, null, null, null, k -> {
        }, k -> {
        });
    }

    /** The application's name ({@code quarkus.application.name}) names the views' consumers. */
    void start(@Observes StartupEvent event, ApplicationConfig application) {
        if (!config.check()) {
            LOG.warn("Admin tokens are not checked against revocations (keyhook.admin-tokens.check=false)");
            return;
        }
        follow(application.name().orElse("keyhook"));
    }

    /** Starts both views; their consumers are {@code <app>-admin-clients} and {@code <app>-admin-revocations}. */
    void follow(String app) {
        // a missing topic is created with its owner's settings where keyhook.kafka.create-topics allows, so no service
        // waits for another to start first; in production the platform makes them, and a view that cannot read one
        // keeps its service unready (see ready())
        var revocationView = new CompactedTopicView<>(kafka, kafkaSettings, SuiteTopics.revocations(kafkaSettings),
                app + "-admin-revocations", Topics.TOKEN_REVOCATIONS, json,
                CompactedTopicView.Listener.of((key, r) -> applyRevocation(r), key -> {
                    // a delete-policy topic: a tombstone revokes nothing and lifts nothing
                }));
        var clientView = new CompactedTopicView<>(kafka, kafkaSettings, SuiteTopics.credentials(kafkaSettings),
                app + "-admin-clients", Topics.CREDENTIALS, json,
                CompactedTopicView.Listener.of(this::applyClient, this::removeClient));
        revocations = revocationView;
        clients = clientView;
        clientView.start();
        revocationView.start();
        CompletableFuture.allOf(clientView.whenCaughtUp().toCompletableFuture(),
                revocationView.whenCaughtUp().toCompletableFuture()).thenRun(() -> viewsLoaded.complete(null));
    }

    void stop(@Observes ShutdownEvent event) {
        if (clients != null) {
            clients.close();
        }
        if (revocations != null) {
            revocations.close();
        }
    }

    /**
     * Whether both views have read everything there was at start and can read their topics now (readiness): a replica
     * that does not know every revocation must not take traffic.
     */
    public boolean ready() {
        var c = clients;
        var r = revocations;
        return !config.check() || c != null && r != null && c.healthy() && r.healthy();
    }

    /** Each topic the guard decides with, and its state: "caught up", "catching up", or what keeps it from reading. */
    public Map<String, String> viewStates() {
        Map<String, String> states = new LinkedHashMap<>();
        for (CompactedTopicView<?, ?> v : clients == null ? List.<CompactedTopicView<?, ?>> of()
                : List.<CompactedTopicView<?, ?>> of(clients, revocations)) {
            states.put(v.topic(), v.state());
        }
        return states;
    }

    /**
     * Completes once both views have read everything there was at start; until then no Keyhook-issued admin token is
     * judged (see {@link RevokedAdminTokens}). Complete at once when the check is off.
     */
    public CompletionStage<Void> whenLoaded() {
        return config.check() ? viewsLoaded : CompletableFuture.completedFuture(null);
    }

    /** Whether {@link #refusal} may be asked about this token now, or must wait for {@link #whenLoaded()}. */
    public boolean canJudge(JsonWebToken jwt) {
        return viewsLoaded.isDone() || !config.check() || jwt.getClaim("secret_id") == null;
    }

    /** How long a request waits for {@link #whenLoaded()}. */
    public Duration startWait() {
        return config.startWait();
    }

    /** Why this token must be refused now, or null when it stands (or is not Keyhook's to judge). */
    public String refusal(JsonWebToken jwt) {
        if (!config.check()) {
            return null;
        }
        if (!revokedKeys.isEmpty() && revokedKeys.contains(String.valueOf(JwsKeyId.of(jwt.getRawToken())))) {
            return "the key that signed the token was revoked";
        }
        String secretId = text(jwt.getClaim("secret_id"));
        String clientId = text(jwt.getClaim("client_id"));
        if (secretId == null || clientId == null) {
            return null;
        }
        long issuedAt = jwt.getIssuedAtTime();
        String jti = jwt.getTokenID();
        if (jti != null && revokedTokens.containsKey(jti)) {
            return "the token was revoked";
        }
        Long secretRevoked = revokedSecrets.get(secretId);
        if (secretRevoked != null && issuedAt <= secretRevoked) {
            return "the secret the token was issued under was revoked";
        }
        AdminState state = admins.get(clientId);
        if (state == null) {
            long age = Instant.now().getEpochSecond() - issuedAt;
            return age > config.unknownClientGrace().toSeconds() ? "the admin client no longer exists" : null;
        }
        if (!state.active()) {
            return "the admin client is disabled";
        }
        if (!state.activeSecrets().contains(secretId)) {
            return "the secret the token was issued under is no longer active";
        }
        if (!allIn(jwt.getClaim("groups"), state.groups())) {
            return "the admin client's groups were narrowed";
        }
        if (!state.environments().contains(ALL)
                && !allIn(jwt.getClaim(Roles.ENVIRONMENTS_CLAIM), state.environments())) {
            return "the admin client's Environments were narrowed";
        }
        return null;
    }

    /** A {@code keyhook.credentials} record: an admin client's state now (an API client's is not this guard's). */
    void applyClient(String clientId, ClientStateRecord c) {
        if (!ClientStateRecord.ADMIN.equals(c.kind())) {
            return;
        }
        Set<String> secrets = new HashSet<>();
        for (ClientStateRecord.SecretState s : c.secrets() == null ? List.<ClientStateRecord.SecretState> of()
                : c.secrets()) {
            if (ClientStateRecord.ACTIVE.equals(s.status())) {
                secrets.add(s.id());
            }
        }
        admins.put(clientId, new AdminState(ClientStateRecord.ACTIVE.equals(c.status()), Set.copyOf(secrets),
                values(c.groups()), values(c.environments())));
    }

    /** A tombstone on {@code keyhook.credentials}: the client is gone (its tokens are refused after the grace). */
    void removeClient(String clientId) {
        admins.remove(clientId);
    }

    /** A {@code keyhook.token-revocations} record. */
    void applyRevocation(RevocationRecord r) {
        long now = Instant.now().getEpochSecond();
        String kind = String.valueOf(r.kind());
        if (RevocationRecord.TOKEN.equals(kind) && r.jti() != null) {
            long expires = r.tokenExpiresAt() != null ? r.tokenExpiresAt().getEpochSecond() : now + 86_400;
            if (expires > now) {
                revokedTokens.put(r.jti(), expires);
            }
        } else if (RevocationRecord.SIGNING_KEY.equals(kind) && r.kid() != null) {
            if (revokedKeys.add(r.kid())) {
                LOG.warnf("Signing key %s was revoked: tokens it signed are refused from now on", r.kid());
                keyRevoked.accept(new SigningKeyRevoked(r.kid()));
            }
        } else if (RevocationRecord.SIGNING_KEY_ADDED.equals(kind) && r.kid() != null) {
            // not a revocation: token-service replicas load the key, to publish it before it signs
            keyAdded.accept(new SigningKeyAdded(r.kid()));
        } else if (RevocationRecord.SECRET.equals(kind) && r.secretId() != null) {
            if (r.revokedAt() == null) {
                throw new IllegalArgumentException("a secret's revocation without revokedAt");
            }
            revokedSecrets.merge(r.secretId(), r.revokedAt().getEpochSecond(), Math::max);
        }
        if (revokedTokens.size() > 10_000) {
            revokedTokens.values().removeIf(expires -> expires <= now);
        }
    }

    /** Whether a signing key was revoked (token-service's own signing and JWKS check it too). */
    public boolean keyRevoked(String kid) {
        return revokedKeys.contains(kid);
    }

    private static Set<String> values(List<String> values) {
        return values == null ? Set.of() : Set.copyOf(new HashSet<>(values));
    }

    private static String text(Object claim) {
        if (claim == null) {
            return null;
        }
        String s = claim.toString();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Whether every value of a claim (a string or an array of strings) is in {@code allowed}; no copies made. */
    private static boolean allIn(Object claim, Set<String> allowed) {
        if (claim instanceof Collection<?> values) {
            for (Object v : values) {
                if (!allowed.contains(text(v))) {
                    return false;
                }
            }
            return true;
        }
        return claim == null || allowed.contains(text(claim));
    }
}
