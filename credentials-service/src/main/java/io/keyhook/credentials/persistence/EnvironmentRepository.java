package io.keyhook.credentials.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class EnvironmentRepository implements PanacheRepositoryBase<EnvironmentEntity, String> {

    public Uni<List<EnvironmentEntity>> listById() {
        return listAll(Sort.by("id"));
    }

    public Uni<List<EnvironmentEntity>> usingConfiguration(String configurationName) {
        return list("configurationName", Sort.by("id"), configurationName);
    }

    /** The Environments that set a maximum secret age. */
    public Uni<List<EnvironmentEntity>> withSecretMaxAge() {
        return list("secretMaxAgeDays is not null and secretMaxAgeDays > 0");
    }
}
