package io.keyhook.credentials.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A Configuration's current version: its data types define the notification types. */
@Entity
@Table(name = "configurations")
public class ConfigurationEntity {

    @Id
    public String name;

    public int version;

    @Column(name = "data_types")
    @Convert(converter = StringListConverter.class)
    public List<String> dataTypes;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
