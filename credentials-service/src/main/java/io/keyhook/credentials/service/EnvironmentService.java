package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import io.keyhook.common.security.Caller;
import io.keyhook.common.security.TokenSigningAlgorithm;
import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.api.EnvironmentCreateRequest;
import io.keyhook.credentials.api.EnvironmentPatchRequest;
import io.keyhook.credentials.api.EnvironmentResponse;
import io.keyhook.credentials.messaging.OutboxWriter;
import io.keyhook.credentials.persistence.ConfigurationEntity;
import io.keyhook.credentials.persistence.ConfigurationRepository;
import io.keyhook.credentials.persistence.EnvironmentEntity;
import io.keyhook.credentials.persistence.EnvironmentRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Environments and the Configuration published to each. Written by platform operators only. */
@ApplicationScoped
public class EnvironmentService {

    @Inject
    EnvironmentRepository environments;

    @Inject
    ConfigurationRepository configurations;

    @Inject
    ConfigurationService configurationService;

    @Inject
    OutboxWriter outbox;

    @Inject
    AuditTrail audit;

    @Inject
    Caller caller;

    /** The Environments the caller may touch. */
    @WithSession
    public Uni<List<EnvironmentResponse>> list() {
        return environments.listById().chain(all -> configurations.listAll()
                .map(configs -> all.stream().filter(e -> caller.mayAccess(e.id)).map(e -> Mapping.environment(e,
                        configs.stream().filter(c -> c.name.equals(e.configurationName)).findFirst().orElseThrow()))
                        .toList()));
    }

    @WithSession
    public Uni<EnvironmentResponse> get(String id) {
        return find(id).chain(e -> configurationService.find(e.configurationName).map(c -> Mapping.environment(e, c)));
    }

    public Uni<EnvironmentResponse> create(EnvironmentCreateRequest req) {
        var target = new AuditTrail.Target("environment.create", req.id(), "environment", req.id());
        return audit.refusalsOf(target,
                Panache.withTransaction(() -> environments.findById(req.id()).chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(ProblemException.conflict("environment_exists",
                                "Environment '" + req.id() + "' already exists"));
                    }
                    return configuration(req.configuration()).chain(c -> {
                        Instant now = Instant.now();
                        EnvironmentEntity e = new EnvironmentEntity();
                        e.id = req.id();
                        e.name = req.name().strip();
                        e.configurationName = c.name;
                        e.createdAt = now;
                        e.updatedAt = now;
                        return environments.persist(e).call(() -> outbox.environmentChanged(e, c))
                                .call(() -> audit.success(target, e.id, "configuration " + c.name + " v" + c.version))
                                .map(x -> Mapping.environment(e, c));
                    });
                })));
    }

    public Uni<EnvironmentResponse> patch(String id, EnvironmentPatchRequest req) {
        var target = new AuditTrail.Target("environment.update", id, "environment", id);
        return audit.refusalsOf(target,
                checkAlgorithm(req).chain(() -> Panache.withTransaction(() -> findLocked(id).chain(e -> {
                    String configName = req.configuration() != null ? req.configuration() : e.configurationName;
                    return configuration(configName).chain(c -> {
                        if (req.name() != null) {
                            e.name = req.name().strip();
                        }
                        e.configurationName = c.name;
                        if (req.tokenSigningAlgGiven()) {
                            e.tokenSigningAlg = req.tokenSigningAlg();
                        }
                        if (req.secretMaxAgeDays() != null) {
                            e.secretMaxAgeDays = req.secretMaxAgeDays() == 0 ? null : req.secretMaxAgeDays();
                        }
                        if (req.secretExpiryGraceDays() != null) {
                            e.secretExpiryGraceDays = req.secretExpiryGraceDays();
                        }
                        e.updatedAt = Instant.now();
                        return outbox.environmentChanged(e, c).call(() -> audit.success(target, id, "name " + e.name
                                + ", configuration " + c.name + " v" + c.version + ", token signing algorithm "
                                + (e.tokenSigningAlg == null ? "default" : e.tokenSigningAlg)
                                + (e.secretMaxAgeDays == null ? "" : ", secret max age " + e.secretMaxAgeDays
                                        + " days, grace " + e.secretExpiryGraceDays)))
                                .map(x -> Mapping.environment(e, c));
                    });
                }))));
    }

    /** A named {@code tokenSigningAlg} must be one token-service signs with, spelt as in a JWS header. */
    private static Uni<Void> checkAlgorithm(EnvironmentPatchRequest req) {
        if (req.tokenSigningAlgGiven() && req.tokenSigningAlg() != null
                && TokenSigningAlgorithm.parse(req.tokenSigningAlg()) == null) {
            // never echoed: the value may be anything, up to the body size limit
            return Uni.createFrom().failure(ProblemException.badRequest("unsupported_token_signing_alg",
                    "tokenSigningAlg must be EdDSA, ES256 or RS256, or null for token-service's default"));
        }
        return Uni.createFrom().voidItem();
    }

    /** The Environment if it exists and the caller may touch it; otherwise the same 404. */
    Uni<EnvironmentEntity> find(String id) {
        if (!caller.mayAccess(id)) {
            return Uni.createFrom().failure(Caller.environmentNotFound(id));
        }
        return environments.findById(id).onItem().ifNull().failWith(() -> Caller.environmentNotFound(id));
    }

    /** As {@link #find}, row-locked: concurrent changes of one Environment apply one after the other. */
    private Uni<EnvironmentEntity> findLocked(String id) {
        if (!caller.mayAccess(id)) {
            return Uni.createFrom().failure(Caller.environmentNotFound(id));
        }
        return environments.findById(id, LockModeType.PESSIMISTIC_WRITE).onItem().ifNull()
                .failWith(() -> Caller.environmentNotFound(id));
    }

    private Uni<ConfigurationEntity> configuration(String name) {
        return configurations.findById(name).onItem().ifNull().failWith(() -> ProblemException
                .unprocessable("configuration_not_found", "Configuration '" + name + "' does not exist"));
    }
}
