package io.keyhook.credentials.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ConfigurationRepository implements PanacheRepositoryBase<ConfigurationEntity, String> {

    public Uni<List<ConfigurationEntity>> listByName() {
        return listAll(Sort.by("name"));
    }

    public Uni<ConfigurationVersionEntity> persistVersion(ConfigurationEntity c) {
        ConfigurationVersionEntity v = new ConfigurationVersionEntity();
        v.name = c.name;
        v.version = c.version;
        v.dataTypes = c.dataTypes;
        v.createdAt = c.updatedAt;
        return getSession().chain(s -> s.persist(v)).replaceWith(v);
    }
}
