package io.keyhook.dispatcher.service;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.config.GapsConfig;
import io.keyhook.dispatcher.persistence.GapEntries;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Bounds the gap manifest: entries recorded longer ago than the delivery log's {@code log-retention} go (the delivery
 * they name is gone too), and no webhook keeps more than {@code keyhook.dispatcher.gaps.max-per-webhook}.
 */
@ApplicationScoped
public class GapRetention {

    private static final Logger LOG = Logger.getLogger(GapRetention.class);

    private final GapEntries entries;
    private final DispatcherConfig config;
    private final GapsConfig gaps;

    GapRetention(GapEntries entries, DispatcherConfig config, GapsConfig gaps) {
        this.entries = entries;
        this.config = config;
        this.gaps = gaps;
    }

    @Scheduled(every = "10m", delay = 2, delayUnit = TimeUnit.MINUTES, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return pruneBefore(Instant.now().minus(config.delivery().logRetention())).replaceWithVoid().onFailure()
                .recoverWithNull();
    }

    /** Removes entries recorded before {@code before}, then caps each webhook's manifest; emits how many went. */
    Uni<Integer> pruneBefore(Instant before) {
        return entries.prune(before, 50_000).chain(old -> entries.cap(gaps.maxPerWebhook()).map(over -> {
            if (over > 0) {
                LOG.warnf("%d gap-manifest entries dropped: webhooks over keyhook.dispatcher.gaps.max-per-webhook (%d)",
                        over, gaps.maxPerWebhook());
            }
            return old + over;
        }));
    }
}
