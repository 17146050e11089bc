package io.keyhook.common.audit;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.config.AuditConfig;
import io.keyhook.core.concurrent.BackgroundLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Removes audit entries older than {@code keyhook.audit.retention} (default 2192 days, six years: what health-data
 * regulations commonly ask), a batch at a time, through the schema's {@code audit_log_prune} function: the only way the
 * append-only triggers let a row go, and never one younger than a day. Runs in every service that names its schema in
 * {@code keyhook.audit.schema}. One replica prunes at a time: the function takes a transaction-scoped advisory lock and
 * answers 0 to a replica that finds it taken, which tries again at its next interval.
 */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Rows removed per statement, so one run never holds a long transaction. */
    static final int BATCH = 10_000;

    @Inject
    AuditConfig config;

    @Inject
    Instance<Pool> pool;

    private BackgroundLoop loop;

    void start(@Observes StartupEvent event) {
        if (config.schema().isPresent()) {
            loop = BackgroundLoop.start("keyhook-audit-retention", Duration.ofMinutes(1), config.pruneInterval(),
                    this::run);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    private void run() {
        try {
            prune().await().atMost(Duration.ofMinutes(10));
        } catch (RuntimeException e) {
            LOG.warnf("Audit retention did not run: %s", e.toString());
        }
    }

    /** Prunes until nothing older than the retention is left; emits how many entries went. */
    public Uni<Long> prune() {
        Optional<String> schema = config.schema();
        if (schema.isEmpty() || !pool.isResolvable()) {
            return Uni.createFrom().item(0L);
        }
        if (!SCHEMA.matcher(schema.get()).matches()) {
            return Uni.createFrom().failure(new IllegalArgumentException("keyhook.audit.schema is not a schema name"));
        }
        return batch(schema.get(), 0);
    }

    private Uni<Long> batch(String schema, long sofar) {
        Duration retention = config.retention();
        return pool.get().preparedQuery("select " + schema + ".audit_log_prune($1, $2) as removed")
                .execute(Tuple.of(retention.toSeconds(), BATCH)).chain(rows -> {
                    long removed = rows.iterator().next().getLong("removed");
                    if (removed > 0) {
                        LOG.infof("Audit retention removed %d entries older than %s", removed, retention);
                    }
                    return removed < BATCH ? Uni.createFrom().item(sofar + removed) : batch(schema, sofar + removed);
                });
    }
}
