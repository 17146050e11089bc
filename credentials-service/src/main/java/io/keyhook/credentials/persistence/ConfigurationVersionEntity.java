package io.keyhook.credentials.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One published version of a Configuration, kept as history. */
@Entity
@Table(name = "configuration_versions")
@IdClass(ConfigurationVersionEntity.Key.class)
public class ConfigurationVersionEntity {

    @Id
    public String name;

    @Id
    public int version;

    @Column(name = "data_types")
    @Convert(converter = StringListConverter.class)
    public List<String> dataTypes;

    @Column(name = "created_at")
    public Instant createdAt;

    public record Key(String name, int version) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }
}
