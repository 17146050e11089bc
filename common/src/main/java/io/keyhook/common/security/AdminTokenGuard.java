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

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.config.AdminTokensConfig;
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

    @Inject
    AdminTokensConfig config;

    @Inject
    KafkaSettings kafkaSettings;

    @Inject
    KafkaClients kafka;

    @Inject
    ObjectMapper json;

    @Inject
    ApplicationConfig application;

    private final Map<String, AdminState> admins = new ConcurrentHashMap<>();
    /** secret id → when it was revoked (epoch seconds): tokens issued at or before then are dead. */
    private final Map<String, Long> revokedSecrets = new ConcurrentHashMap<>();
    /** jti → when the token expires anyway (epoch seconds), after which the entry can go. */
    private final Map<String, Long> revokedTokens = new ConcurrentHashMap<>();
    /** Signing keys revoked in an emergency: whatever they signed is refused. */
    private final Set<String> revokedKeys = ConcurrentHashMap.newKeySet();

    @Inject
    Event<SigningKeyRevoked> keyRevoked;

    @Inject
    Event<SigningKeyAdded> keyAdded;
    private CompactedTopicView clients;
    private CompactedTopicView revocations;
    private final CompletableFuture<Void> viewsLoaded = new CompletableFuture<>();

    void start(@Observes StartupEvent event) {
        if (!config.check()) {
            LOG.warn("Admin tokens are not checked against revocations (keyhook.admin-tokens.check=false)");
            return;
        }
        String app = application.name().orElse("keyhook");
        // a missing topic is created with its owner's settings where keyhook.kafka.create-topics allows, so no service
        // waits for another to start first; in production the platform makes them, and a view that cannot read one
        // keeps its service unready (see problems())
        clients = new CompactedTopicView(kafka, SuiteTopics.credentials(kafkaSettings), kafkaSettings.createTopics(),
                app + "-admin-clients", this::applyClient).start();
        revocations = new CompactedTopicView(kafka, SuiteTopics.revocations(kafkaSettings),
                kafkaSettings.createTopics(), app + "-admin-revocations", this::applyRevocation).start();
        CompletableFuture
                .allOf(clients.whenCaughtUp().toCompletableFuture(), revocations.whenCaughtUp().toCompletableFuture())
                .thenRun(() -> viewsLoaded.complete(null));
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
        return !config.check() || clients != null && clients.healthy() && revocations.healthy();
    }

    /** Each topic the guard decides with, and its state: "caught up", "catching up", or what keeps it from reading. */
    public Map<String, String> viewStates() {
        Map<String, String> states = new LinkedHashMap<>();
        for (CompactedTopicView v : clients == null ? List.<CompactedTopicView> of() : List.of(clients, revocations)) {
            String problem = v.problem();
            states.put(v.topic(), problem != null ? problem : v.caughtUp() ? "caught up" : "catching up");
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

    void applyClient(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            admins.remove(r.key());
            return;
        }
        JsonNode n = read(r.value());
        if (!"admin".equals(n.path("kind").asText())) {
            return;
        }
        Set<String> secrets = new HashSet<>();
        for (JsonNode s : n.path("secrets")) {
            if ("active".equals(s.path("status").asText())) {
                secrets.add(s.path("id").asText());
            }
        }
        admins.put(n.path("clientId").asText(), new AdminState("active".equals(n.path("status").asText()),
                Set.copyOf(secrets), values(n.path("groups")), values(n.path("environments"))));
    }

    void applyRevocation(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            return;
        }
        JsonNode n = read(r.value());
        long now = Instant.now().getEpochSecond();
        if ("token".equals(n.path("kind").asText()) && n.hasNonNull("jti")) {
            long expires = n.hasNonNull("tokenExpiresAt")
                    ? Instant.parse(n.get("tokenExpiresAt").asText()).getEpochSecond() : now + 86_400;
            if (expires > now) {
                revokedTokens.put(n.get("jti").asText(), expires);
            }
        } else if ("signing_key".equals(n.path("kind").asText()) && n.hasNonNull("kid")) {
            String kid = n.get("kid").asText();
            if (revokedKeys.add(kid)) {
                LOG.warnf("Signing key %s was revoked: tokens it signed are refused from now on", kid);
                keyRevoked.fire(new SigningKeyRevoked(kid));
            }
        } else if ("signing_key_added".equals(n.path("kind").asText()) && n.hasNonNull("kid")) {
            // not a revocation: token-service replicas load the key, to publish it before it signs
            keyAdded.fire(new SigningKeyAdded(n.get("kid").asText()));
        } else if ("secret".equals(n.path("kind").asText()) && n.hasNonNull("secretId")) {
            long at = Instant.parse(n.path("revokedAt").asText()).getEpochSecond();
            revokedSecrets.merge(n.get("secretId").asText(), at, Math::max);
        }
        if (revokedTokens.size() > 10_000) {
            revokedTokens.values().removeIf(expires -> expires <= now);
        }
    }

    /** Whether a signing key was revoked (token-service's own signing and JWKS check it too). */
    public boolean keyRevoked(String kid) {
        return revokedKeys.contains(kid);
    }

    private JsonNode read(String value) {
        try {
            return json.readTree(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON");
        }
    }

    private static Set<String> values(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(v -> out.add(v.asText()));
        return Set.copyOf(out);
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
