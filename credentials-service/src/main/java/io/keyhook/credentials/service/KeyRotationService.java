package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyhook.common.security.Caller;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.api.KeyRotationFinishRequest;
import io.keyhook.credentials.api.KeyRotationResponse;
import io.keyhook.credentials.api.KeyRotationsResponse;
import io.keyhook.credentials.persistence.ClientEntity;
import io.keyhook.credentials.persistence.KeyRotationEntity;
import io.keyhook.credentials.persistence.KeyRotationRepository;
import io.keyhook.credentials.persistence.KeyUsageRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Guided, verified rotation of a private_key_jwt client's inline key. Start adds the new key to the JWKS (it works the
 * moment the call returns); finish removes the old key once token-service reported the new key in use and the old one
 * quiet (or with an audited override). Every JWKS change holds the client's row lock, as a PATCH does, so neither loses
 * the other's key, and is published on keyhook.credentials through the outbox as a PATCH is. One open rotation per
 * client (the client lock serialises starts; a partial unique index is the backstop).
 */
@ApplicationScoped
public class KeyRotationService {

    @Inject
    ClientLookup lookup;

    @Inject
    KeyRotationRepository rotations;

    @Inject
    KeyRotationChecks checks;

    @Inject
    KeyUsageRepository usage;

    @Inject
    ClientKeys clientKeys;

    @Inject
    AuditTrail audit;

    @Inject
    Caller caller;

    public Uni<KeyRotationResponse> start(String env, String clientId, String oldKid, JsonNode newKey) {
        var target = new AuditTrail.Target("key_rotation.started", env, "client", clientId);
        return audit.refusalsOf(target,
                Uni.createFrom().item(() -> validNewKey(newKey)).chain(key -> Panache.withTransaction(() -> lookup
                        .find(ClientRef.api(env, clientId), true).chain(c -> rotations.openOf(c.id).chain(open -> {
                            if (!c.usesPrivateKeyJwt() || c.jwks == null) {
                                throw ProblemException.conflict("rotation_not_applicable",
                                        "Client '" + c.id + "' " + (c.usesPrivateKeyJwt()
                                                ? "has a jwksUri: publish the new key at that URL beside the old one,"
                                                        + " then remove the old one there"
                                                : "uses client_secret: rotate its secrets instead"));
                            }
                            if (open != null) {
                                throw inProgress(c.id, open.id);
                            }
                            List<String> kids = kids(c.jwks);
                            if (!kids.contains(oldKid)) {
                                throw ProblemException.notFound("unknown_key",
                                        "Client '" + c.id + "' has no key with kid '" + oldKid + "'");
                            }
                            String newKid = key.path("kid").asText();
                            Instant now = Instant.now();
                            c.jwks = withKey(c.jwks, key);
                            c.updatedAt = now;
                            KeyRotationEntity r = new KeyRotationEntity();
                            r.id = SecretGenerator.newId("kr_");
                            r.clientId = c.id;
                            r.environmentId = env;
                            r.oldKid = oldKid;
                            r.newKid = newKid;
                            r.status = KeyRotationEntity.OPEN;
                            r.startedAt = now;
                            r.startedBy = caller.subject();
                            return rotations.persist(r).call(rotations::flush).call(() -> clientKeys.sync(c, now))
                                    .call(() -> lookup.publish(c))
                                    .call(() -> audit.success(target, c.id,
                                            "rotation " + r.id + ": kid " + oldKid + " to kid " + newKid))
                                    .replaceWith(r);
                        }))).onFailure(KeyRotationService::isOpenIndexViolation)
                        .transform(e -> inProgress(clientId, null))).chain(this::response));
    }

    @WithSession
    public Uni<KeyRotationsResponse> list(String env, String clientId) {
        return lookup.find(ClientRef.api(env, clientId), false).chain(c -> rotations.ofClient(c.id))
                .chain(all -> usage.ofClients(List.of(clientId)).map(u -> {
                    Instant now = Instant.now();
                    return new KeyRotationsResponse(all.stream().map(r -> response(r, checks.of(r, u, now))).toList());
                }));
    }

    @WithSession
    public Uni<KeyRotationResponse> get(String env, String clientId, String rotationId) {
        return lookup.find(ClientRef.api(env, clientId), false).chain(c -> rotation(c, rotationId))
                .chain(this::response);
    }

    /** Removes the old key once both checks pass, or with an override's reason (400 without one). */
    public Uni<KeyRotationResponse> finish(String env, String clientId, String rotationId,
            KeyRotationFinishRequest body) {
        var target = new AuditTrail.Target("key_rotation.finished", env, "key_rotation", rotationId);
        boolean override = body != null && Boolean.TRUE.equals(body.override());
        return audit.refusalsOf(target,
                Uni.createFrom().item(() -> overrideReason(body)).chain(reason -> Panache.withTransaction(() -> lookup
                        .find(ClientRef.api(env, clientId), true).chain(c -> rotation(c, rotationId).chain(r -> {
                            if (KeyRotationEntity.FINISHED.equals(r.status)) {
                                return Uni.createFrom().item(r); // a retried finish: answered as stored
                            }
                            requireOpen(r);
                            return checks.of(r).chain(now -> {
                                if (!KeyRotationChecks.passed(now) && !override) {
                                    throw ProblemException
                                            .conflict("rotation_not_verified", "Not verified yet: "
                                                    + String.join("; ",
                                                            now.stream().filter(x -> !x.passed())
                                                                    .map(KeyRotationResponse.Check::detail).toList())
                                                    + ". Finish once both checks pass, or override with a reason.")
                                            .with("checks", now);
                                }
                                List<String> kids = kids(c.jwks == null ? "{\"keys\":[]}" : c.jwks);
                                if (!kids.contains(r.newKid)) {
                                    throw ProblemException.conflict("new_key_not_registered", "kid " + r.newKid
                                            + " is no longer registered (replaced by a PATCH?): cancel this rotation");
                                }
                                Instant at = Instant.now();
                                c.jwks = withoutKey(c.jwks, r.oldKid);
                                c.updatedAt = at;
                                r.status = KeyRotationEntity.FINISHED;
                                r.finishedAt = at;
                                Uni<Void> overridden = Uni.createFrom().voidItem();
                                if (override) {
                                    r.overrideReason = reason;
                                    r.overrideBy = caller.subject();
                                    r.overrideAt = at;
                                    overridden = audit.success(
                                            new AuditTrail.Target("key_rotation.override", env, "key_rotation", r.id),
                                            r.id, "client " + c.id + ": finished without passing checks (" + failed(now)
                                                    + "): " + reason);
                                }
                                Uni<Void> auditOverride = overridden;
                                return clientKeys.sync(c, at).call(() -> lookup.publish(c)).call(() -> auditOverride)
                                        .call(() -> audit.success(target, r.id,
                                                "client " + c.id + ": kid " + r.oldKid + " removed, kid " + r.newKid
                                                        + " stays" + (override ? " (override)" : "")))
                                        .replaceWith(r);
                            });
                        })))).chain(this::response));
    }

    /** Removes the new key again, only if it was never used (the app may depend on it already). */
    public Uni<KeyRotationResponse> cancel(String env, String clientId, String rotationId) {
        var target = new AuditTrail.Target("key_rotation.cancelled", env, "key_rotation", rotationId);
        return audit.refusalsOf(target, Panache.withTransaction(
                () -> lookup.find(ClientRef.api(env, clientId), true).chain(c -> rotation(c, rotationId).chain(r -> {
                    requireOpen(r);
                    return usage.ofClients(List.of(c.id)).chain(all -> {
                        if (all.stream().anyMatch(u -> u.kid().equals(r.newKid))) {
                            throw ProblemException.conflict("new_key_in_use", "kid " + r.newKid
                                    + " has been used already: finish the rotation, or remove the key by PATCH");
                        }
                        Instant at = Instant.now();
                        List<String> kids = kids(c.jwks == null ? "{\"keys\":[]}" : c.jwks);
                        if (kids.contains(r.newKid) && kids.size() > 1) {
                            c.jwks = withoutKey(c.jwks, r.newKid);
                            c.updatedAt = at;
                        }
                        r.status = KeyRotationEntity.CANCELLED;
                        r.finishedAt = at;
                        return clientKeys.sync(c, at).call(() -> lookup.publish(c)).call(() -> audit.success(target,
                                r.id, "client " + c.id + ": kid " + r.newKid + " removed again")).replaceWith(r);
                    });
                })))).chain(this::response);
    }

    private Uni<KeyRotationEntity> rotation(ClientEntity c, String rotationId) {
        return rotations.ofClient(c.id, rotationId).onItem().ifNull().failWith(() -> ProblemException
                .notFound("key_rotation_not_found", "Client '" + c.id + "' has no key rotation '" + rotationId + "'"));
    }

    private Uni<KeyRotationResponse> response(KeyRotationEntity r) {
        return checks.of(r).map(now -> response(r, now));
    }

    private static KeyRotationResponse response(KeyRotationEntity r, List<KeyRotationResponse.Check> now) {
        return new KeyRotationResponse(r.id, r.clientId, r.oldKid, r.newKid, r.status, r.startedAt, r.finishedAt,
                r.overrideReason == null ? null
                        : new KeyRotationResponse.Override(r.overrideReason, r.overrideBy, r.overrideAt),
                now);
    }

    private static void requireOpen(KeyRotationEntity r) {
        if (!r.isOpen()) {
            throw ProblemException.conflict("key_rotation_not_open", "Key rotation '" + r.id + "' is " + r.status);
        }
    }

    private static ProblemException inProgress(String clientId, String openId) {
        ProblemException p = ProblemException.conflict("key_rotation_in_progress",
                "Client '" + clientId + "' has an open key rotation" + (openId == null ? "" : " (" + openId + ")")
                        + ": finish or cancel it first");
        return openId == null ? p : p.with("rotationId", openId);
    }

    /** The backstop: a second open rotation that got past the client lock fails on the partial unique index. */
    private static boolean isOpenIndexViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("client_key_rotations_one_open")) {
                return true;
            }
        }
        return false;
    }

    private static String failed(List<KeyRotationResponse.Check> now) {
        List<String> names = now.stream().filter(x -> !x.passed()).map(KeyRotationResponse.Check::name).toList();
        return names.isEmpty() ? "none failed" : String.join(", ", names) + " failed";
    }

    /**
     * The override's reason, stripped; null without an override; 422 override_reason_required when blank (as the
     * webhook rotations answer).
     */
    private static String overrideReason(KeyRotationFinishRequest body) {
        if (body == null || !Boolean.TRUE.equals(body.override())) {
            return null;
        }
        if (body.reason() == null || body.reason().isBlank()) {
            throw ProblemException.unprocessable("override_reason_required",
                    "Finishing without passing checks needs a reason: {\"override\": true, \"reason\": \"...\"}");
        }
        return body.reason().strip();
    }

    /** The new key checked by the create/PATCH validator, alone; any refusal is a 400 invalid_jwks. */
    private static JsonNode validNewKey(JsonNode newKey) {
        if (newKey == null || !newKey.isObject()) {
            throw ProblemException.badRequest("invalid_jwks", "newKey must be one public JWK (a JSON object)");
        }
        ObjectNode one = JsonNodeFactory.instance.objectNode();
        one.putArray("keys").add(newKey);
        return KeySource.tree(validated(one)).path("keys").get(0);
    }

    /** The stored JWKS with {@code key} appended, checked as a whole (duplicate kid, at most 10 keys). */
    private static String withKey(String jwks, JsonNode key) {
        ObjectNode all = (ObjectNode) KeySource.tree(jwks);
        ((ArrayNode) all.path("keys")).add(key);
        return validated(all);
    }

    static String withoutKey(String jwks, String kid) {
        ObjectNode all = (ObjectNode) KeySource.tree(jwks);
        ArrayNode keys = (ArrayNode) all.path("keys");
        for (int i = keys.size() - 1; i >= 0; i--) {
            if (kid.equals(keys.get(i).path("kid").asText())) {
                keys.remove(i);
            }
        }
        return all.toString();
    }

    static List<String> kids(String jwks) {
        return KeySource.keysOf(jwks).stream().map(JwksValidator.Key::kid).toList();
    }

    private static String validated(ObjectNode jwks) {
        try {
            return JwksValidator.validate(jwks).json();
        } catch (ProblemException p) {
            ProblemException mapped = ProblemException.badRequest("invalid_jwks", p.getMessage()).with("reason",
                    p.code());
            Object kid = p.extensions().get("kid");
            return throwing(kid == null ? mapped : mapped.with("kid", kid));
        }
    }

    private static String throwing(ProblemException p) {
        throw p;
    }
}
