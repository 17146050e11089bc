package io.keyhook.credentials.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.keyhook.common.contract.ClientStateRecord;

/**
 * An API client (kind {@code api}, belongs to one Environment) or an admin client (kind {@code admin}, a service
 * account with {@code groups} and {@code environments}).
 */
@Entity
@Table(name = "clients")
public class ClientEntity {

    // the kinds and status the keyhook.credentials record carries: one declaration
    public static final String API = ClientStateRecord.API;
    public static final String ADMIN = ClientStateRecord.ADMIN;
    public static final String ACTIVE = ClientStateRecord.ACTIVE;
    public static final String DISABLED = "disabled";
    public static final String CLIENT_SECRET = ClientStateRecord.CLIENT_SECRET;
    public static final String PRIVATE_KEY_JWT = ClientStateRecord.PRIVATE_KEY_JWT;

    @Id
    public String id;

    public String kind;

    @Column(name = "environment_id")
    public String environmentId;

    public String name;

    public String description;

    public String status;

    @Column(name = "groups_list")
    @Convert(converter = StringListConverter.class)
    public List<String> groups;

    @Column(name = "environments_list")
    @Convert(converter = StringListConverter.class)
    public List<String> environments;

    /** {@link #CLIENT_SECRET} (the default) or {@link #PRIVATE_KEY_JWT}. */
    @Column(name = "auth_method")
    public String authMethod = CLIENT_SECRET;

    /** A private_key_jwt client's inline JWKS (validated JSON text), or null. */
    public String jwks;

    /** A private_key_jwt client's JWKS URL, or null. */
    @Column(name = "jwks_uri")
    public String jwksUri;

    /** The scopes an API client may be granted; null = any scope of its Configuration's data types. */
    @Convert(converter = NullableStringListConverter.class)
    public List<String> scopes;

    /** Lifetime of an API client's tokens; null = token-service's default. */
    @Column(name = "token_lifetime_seconds")
    public Long tokenLifetimeSeconds;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "disabled_at")
    public Instant disabledAt;

    public boolean usesPrivateKeyJwt() {
        return PRIVATE_KEY_JWT.equals(authMethod);
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
