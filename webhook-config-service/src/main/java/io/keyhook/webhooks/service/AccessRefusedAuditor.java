package io.keyhook.webhooks.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.security.AccessRefused;
import io.keyhook.webhooks.persistence.WebhookRepository;
import io.vertx.mutiny.sqlclient.Pool;

/** Audits requests refused for the caller's role (403), as credentials-service does. */
@ApplicationScoped
public class AccessRefusedAuditor {

    private static final Logger LOG = Logger.getLogger(AccessRefusedAuditor.class);

    @Inject
    Pool pool;

    @Inject
    WebhookRepository repository;

    void onRefused(@Observes AccessRefused refused) {
        String target = refused.method() + " " + refused.path();
        String shortTarget = target.length() > 128 ? target.substring(0, 128) : target;
        // the response does not wait for the audit write; a failure is logged, not shown to the caller
        repository.audit(pool, refused.environmentId(), refused.subject(), "access.denied", shortTarget,
                "refused:forbidden", null).subscribe().with(ok -> {
                }, e -> LOG.warnf("Could not audit a refused %s: %s", target, e.toString()));
    }
}
