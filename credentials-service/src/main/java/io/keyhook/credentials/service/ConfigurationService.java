package io.keyhook.credentials.service;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.api.ConfigurationResponse;
import io.keyhook.credentials.messaging.OutboxWriter;
import io.keyhook.credentials.persistence.ConfigurationEntity;
import io.keyhook.credentials.persistence.ConfigurationRepository;
import io.keyhook.credentials.persistence.EnvironmentRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The Configurations registry. Each change bumps the version, keeps the old one as history and republishes every
 * Environment that uses the Configuration, so consumers see the new data types.
 */
@ApplicationScoped
public class ConfigurationService {

    @Inject
    ConfigurationRepository configurations;

    @Inject
    EnvironmentRepository environments;

    @Inject
    OutboxWriter outbox;

    @Inject
    AuditTrail audit;

    @WithSession
    public Uni<List<ConfigurationResponse>> list() {
        return configurations.listByName().map(all -> all.stream().map(Mapping::configuration).toList());
    }

    @WithSession
    public Uni<ConfigurationResponse> get(String name) {
        return find(name).map(Mapping::configuration);
    }

    public Uni<ConfigurationResponse> create(String name, List<String> dataTypes) {
        var target = new AuditTrail.Target("configuration.create", null, "configuration", name);
        return audit.refusalsOf(target, Panache.withTransaction(() -> configurations.findById(name).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(ProblemException.conflict("configuration_exists",
                        "Configuration '" + name + "' already exists; PUT it to publish a new version"));
            }
            return save(new ConfigurationEntity(), name, dataTypes, target);
        })));
    }

    /** What a PUT did: the Configuration as it now is, and whether this request created it (201, not 200). */
    public record Put(ConfigurationResponse configuration, boolean created) {
    }

    /** Creates the Configuration or publishes a new version of it; an identical list changes nothing. */
    public Uni<Put> put(String name, List<String> dataTypes) {
        var target = new AuditTrail.Target("configuration.update", null, "configuration", name);
        // locked: two PUTs at once publish two versions, one after the other, never the same version twice
        return audit.refusalsOf(target, Panache
                .withTransaction(() -> configurations.findById(name, LockModeType.PESSIMISTIC_WRITE).chain(existing -> {
                    if (existing == null) {
                        return save(new ConfigurationEntity(), name, dataTypes, target).map(c -> new Put(c, true));
                    }
                    if (existing.dataTypes.equals(distinct(dataTypes))) {
                        return Uni.createFrom().item(new Put(Mapping.configuration(existing), false));
                    }
                    return save(existing, name, dataTypes, target).map(c -> new Put(c, false));
                })));
    }

    Uni<ConfigurationEntity> find(String name) {
        return configurations.findById(name).onItem().ifNull().failWith(() -> ProblemException
                .notFound("configuration_not_found", "Configuration '" + name + "' does not exist"));
    }

    private Uni<ConfigurationResponse> save(ConfigurationEntity c, String name, List<String> dataTypes,
            AuditTrail.Target target) {
        List<String> types = distinct(dataTypes);
        if (types.size() != dataTypes.size()) {
            return Uni.createFrom().failure(ProblemException.unprocessable("duplicate_data_types",
                    "dataTypes lists a data type more than once"));
        }
        Instant now = Instant.now();
        boolean isNew = c.name == null;
        c.name = name;
        c.version = isNew ? 1 : c.version + 1;
        c.dataTypes = types;
        c.updatedAt = now;
        if (isNew) {
            c.createdAt = now;
        }
        Uni<ConfigurationEntity> saved = isNew ? configurations.persist(c) : Uni.createFrom().item(c);
        return saved.call(configurations::persistVersion)
                .call(() -> environments.usingConfiguration(name).onItem()
                        .transformToMulti(list -> Multi.createFrom().iterable(list)).onItem()
                        .transformToUniAndConcatenate(e -> outbox.environmentChanged(e, c)).collect().asList())
                .call(() -> audit.success(target, name, "version " + c.version + ": " + String.join(",", types)))
                .map(Mapping::configuration);
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
