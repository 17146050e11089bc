package io.keyhook.dispatcher.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.text.SafeText;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code dispatcher.audit_log}: every time a webhook's client secret is sent to a receiver's token URL
 * ({@code secret.sent}) or held back because the URL is not the receiver's ({@code secret.withheld}). Written off the
 * delivery's path: a failed write is logged and counted, never a failed delivery.
 */
@ApplicationScoped
public class SecretUseAudit {

    private static final Logger LOG = Logger.getLogger(SecretUseAudit.class);

    /** One entry as the API shows it. */
    public record Entry(long id, Instant occurredAt, String actor, String action, String target, String result,
            String detail) {
    }

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    public void record(String environment, String webhookId, String action, String tokenHost, String result,
            String detail) {
        pool.preparedQuery("insert into dispatcher.audit_log (occurred_at, environment, actor, action, target, result,"
                + " detail) values ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.from(new Object[] { OffsetDateTime.now(ZoneOffset.UTC),
                        SafeText.sanitize(environment, 64), "dispatcher:" + SafeText.sanitize(webhookId, 80), action,
                        SafeText.sanitize(tokenHost, 256), result, SafeText.sanitize(detail, 1000) }))
                .subscribe().with(ok -> {
                }, e -> {
                    registry.counter("keyhook.dispatcher.audit.unwritten").increment();
                    LOG.errorf("Could not audit %s for webhook %s: %s", action, webhookId, e.toString());
                });
    }

    /** Newest first, entries with an id below {@code before} (null = from the newest). */
    public Uni<List<Entry>> page(String environment, Long before, int limit) {
        return pool
                .preparedQuery("select * from dispatcher.audit_log where environment = $1"
                        + " and ($2::bigint is null or id < $2) order by id desc limit $3")
                .execute(Tuple.of(environment, before, limit)).map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Entry(r.getLong("id"), r.getOffsetDateTime("occurred_at").toInstant(),
                                r.getString("actor"), r.getString("action"), r.getString("target"),
                                r.getString("result"), r.getString("detail")));
                    }
                    return out;
                });
    }
}
