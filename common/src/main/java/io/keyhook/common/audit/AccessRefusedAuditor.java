package io.keyhook.common.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.keyhook.common.config.AuditConfig;
import io.keyhook.common.security.AccessRefused;

/**
 * Audits requests refused for the caller's role (403), which never reach a service method, in every service that keeps
 * an audit log: {@code access.denied}, target {@code http} "METHOD path", result {@code refused:forbidden}.
 */
@ApplicationScoped
public class AccessRefusedAuditor {

    @Inject
    AuditLog log;

    @Inject
    AuditConfig config;

    void onRefused(@Observes AccessRefused refused) {
        if (config.schema().isPresent()) {
            log.record(AuditEntry.now(refused.environmentId(), refused.subject(), null, "access.denied", "http",
                    refused.method() + " " + refused.path(), "refused:forbidden", null));
        }
    }
}
