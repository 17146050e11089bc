package io.keyhook.credentials.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.security.AccessRefused;
import io.keyhook.common.text.SafeText;
import io.keyhook.credentials.persistence.AuditEntity;
import io.keyhook.credentials.persistence.AuditRepository;
import io.quarkus.hibernate.reactive.panache.Panache;

/** Audits requests refused for their role (403), which never reach a service method. */
@ApplicationScoped
public class AccessRefusedAuditor {

    private static final Logger LOG = Logger.getLogger(AccessRefusedAuditor.class);

    @Inject
    AuditRepository repository;

    void onRefused(@Observes AccessRefused refused) {
        AuditEntity a = new AuditEntity();
        a.occurredAt = Instant.now();
        a.actor = SafeText.sanitize(refused.subject(), 200);
        a.action = "access.denied";
        a.environmentId = SafeText.sanitize(refused.environmentId(), 64);
        a.targetType = "http";
        String target = refused.method() + " " + refused.path();
        a.targetId = SafeText.sanitize(target, 128);
        a.result = "refused:forbidden";
        // the response does not wait for the audit write; a failure is logged, not shown to the caller
        Panache.withTransaction(() -> repository.persist(a)).subscribe().with(ok -> {
        }, e -> LOG.warnf("Could not audit a refused %s: %s", target, e.toString()));
    }
}
