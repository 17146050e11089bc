package io.keyhook.dispatcher.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.audit.AuditEntry;
import io.keyhook.common.audit.AuditLog;
import io.keyhook.dispatcher.persistence.DeliveryRecovery;
import io.keyhook.dispatcher.persistence.DeliveryRecovery.Outcome;
import io.keyhook.dispatcher.persistence.DeliveryStore.RangeSize;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Recovers of a webhook's undelivered deliveries: one transaction each, holding the webhook's replay lock, so two at
 * once make each delivery due once ({@link DeliveryRecovery#recover}). Each request is audited.
 */
@ApplicationScoped
public class Recoveries {

    private final Pool pool;
    private final DeliveryRecovery recovery;
    private final AuditLog audit;

    Recoveries(Pool pool, DeliveryRecovery recovery, AuditLog audit) {
        this.pool = pool;
        this.recovery = recovery;
        this.audit = audit;
    }

    /** Makes every failed, expired or waiting delivery created in [since, to) due now, if there are at most max. */
    public Uni<Outcome> recover(String actor, String environment, String webhookId, Instant since, Instant to,
            int max) {
        return pool.withTransaction(c -> recovery.recover(c, environment, webhookId, since, to, max))
                .invoke(o -> audit.record(AuditEntry.now(environment, actor, null, "deliveries.recovered", "webhook",
                        webhookId, o.tooLarge() ? "refused:recover_too_large" : "success",
                        o.tooLarge() ? "since " + since + ", more than " + max + " deliveries"
                                : o.recovered() + " deliveries created since " + since + " made due; " + o.held()
                                        + " held ones stay held")));
    }

    public Uni<RangeSize> rangeSize(String environment, String webhookId, Instant since, Instant to, int max) {
        return recovery.rangeSize(environment, webhookId, since, to, max);
    }
}
