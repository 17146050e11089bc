package io.keyhook.token.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.token.config.TokenConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Refusals that name no client the service knows (no id, a malformed one, an unknown one, a request that is not even a
 * token request) are audited as counts: one {@code token.refused} row per source address and reason per minute, so a
 * flood of N requests writes O(minutes) rows, not N, and cannot crowd real refusals and alerts out of the audit queue.
 * Distinct sources per minute are capped ({@code keyhook.token.audit.max-refusal-tallies}); past the cap a source's
 * refusals count in one {@code (other sources)} row per reason. Each replica writes its own rows: two replicas seeing
 * one flood write two rows a minute, which add up.
 */
@ApplicationScoped
public class RefusalTally {

    static final String OTHER_SOURCES = "(other sources)";
    private static final String ACTION = "token.refused";
    private static final Logger LOG = Logger.getLogger(RefusalTally.class);

    private record Key(String source, String reason) {
    }

    private static final class Count {
        long n;
        final String firstClient;

        Count(String firstClient) {
            this.firstClient = firstClient;
        }
    }

    private final TokenAudit audit;
    private final int maxKeys;
    private Map<Key, Count> counts = new HashMap<>();
    private Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);

    @Inject
    RefusalTally(TokenAudit audit, TokenConfig config) {
        this(audit, config.audit().maxRefusalTallies());
    }

    RefusalTally(TokenAudit audit, int maxKeys) {
        this.audit = audit;
        this.maxKeys = maxKeys;
    }

    /**
     * Counts one refusal. {@code reason} is the RFC 6749 error code and a short stable reason
     * ({@code invalid_client:malformed_client_id}); {@code client} is what the request named, already made safe for the
     * audit ({@link ClientIds#forAudit}), kept for the first refusal of the minute only.
     */
    public synchronized void count(String source, String reason, String client) {
        Key key = new Key(source, reason);
        Count c = counts.get(key);
        if (c == null) {
            if (counts.size() >= maxKeys) {
                key = new Key(OTHER_SOURCES, reason);
                c = counts.get(key);
            }
            if (c == null) {
                c = new Count(client);
                counts.put(key, c);
            }
        }
        c.n++;
    }

    /** Writes the counts so far (at each minute's end, and in tests) and starts counting again. */
    @Scheduled(cron = "0 * * * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void flush() {
        take((k, detail, first) -> audit.record(null, "anonymous", k.source(), ACTION, first, "refused", detail));
    }

    /**
     * At shutdown, before the audit writer stops (its observer has the default priority), each row is written at once:
     * the writer's queue is not drained once it has been told to stop.
     */
    void stop(@Observes @Priority(1) ShutdownEvent event) {
        take((k, detail, first) -> {
            try {
                audit.writeNow(null, "anonymous", k.source(), ACTION, first, "refused", detail).await()
                        .atMost(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warnf("Refusal count from %s not written at shutdown: %s", k.source(), e.toString());
            }
        });
    }

    private interface Row {
        void write(Key key, String detail, String firstClient);
    }

    private void take(Row row) {
        Map<Key, Count> done;
        Instant from;
        synchronized (this) {
            done = counts;
            from = minute;
            counts = new HashMap<>();
            minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        }
        done.forEach((k, c) -> row.write(k,
                k.reason() + "; " + c.n + (c.n == 1 ? " refusal" : " refusals") + " from this source since " + from,
                c.firstClient));
    }
}
