package io.keyhook.credentials.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An Environment: the unit of tenancy, with the Configuration published to it. */
@Entity
@Table(name = "environments")
public class EnvironmentEntity {

    @Id
    public String id;

    public String name;

    @Column(name = "configuration_name")
    public String configurationName;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Secrets older than this many days are flagged, then expire after the grace; null = no maximum. */
    @Column(name = "secret_max_age_days")
    public Integer secretMaxAgeDays;

    /** Days between a secret's flag and its expiry. */
    @Column(name = "secret_expiry_grace_days")
    public int secretExpiryGraceDays = 14;

    /** The access-token JWS algorithm of this Environment's clients; null = token-service's default. */
    @Column(name = "token_signing_alg")
    public String tokenSigningAlg;
}
