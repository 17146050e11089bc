package io.keyhook.common.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The audit log's retention, shared by every service that keeps one (see {@code AuditRetention}). */
@ConfigMapping(prefix = "keyhook.audit")
public interface AuditConfig {

    /** The service's database schema holding {@code audit_log}; unset = no retention job (no audit table here). */
    Optional<String> schema();

    /** How long an audit entry is kept: six years by default, what health-data regulations commonly ask. */
    @WithDefault("2192d")
    Duration retention();

    /** How often the retention job looks for old entries. */
    @WithDefault("1h")
    Duration pruneInterval();
}
