package io.keyhook.webhooks.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Hourly: activity-feed entries older than {@code keyhook.notifications.activity-retention} are deleted. */
@ApplicationScoped
public class ActivityRetentionJob {

    private static final Logger LOG = Logger.getLogger(ActivityRetentionJob.class);

    private final ActivityStore store;

    @Inject
    ActivityRetentionJob(ActivityStore store) {
        this.store = store;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return store.prune().invoke(n -> {
            if (n > 0) {
                LOG.infof("Deleted %d activity-feed entries past their retention", n);
            }
        }).onFailure().invoke(e -> LOG.warnf("Activity-feed retention not applied: %s", e.toString())).onFailure()
                .recoverWithNull().replaceWithVoid();
    }
}
