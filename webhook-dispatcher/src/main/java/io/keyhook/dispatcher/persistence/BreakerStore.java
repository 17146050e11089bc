package io.keyhook.dispatcher.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.service.Lanes;
import io.keyhook.dispatcher.view.WebhookView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code webhook_breakers}: each webhook's circuit breaker as admins see it. The breaker itself is in the memory of the
 * replica that delivers for the webhook ({@code Lanes}); its transitions are written here, off the delivery's path (a
 * write that fails is logged, never a failed delivery), so any replica can answer the API.
 * <p>
 * A success confirms "closed" at most once a minute per webhook and replica, even when this replica never saw the
 * breaker open: the row may have been opened by another replica, or by this one before a restart.
 */
@ApplicationScoped
public class BreakerStore implements Lanes.BreakerLog {

    private static final Logger LOG = Logger.getLogger(BreakerStore.class);
    private static final long CONFIRM_CLOSED_EVERY = TimeUnit.MINUTES.toNanos(1);

    /** A breaker as the API shows it: {@code closed}, {@code open} (until {@code openUntil}) or {@code half_open}. */
    public record Breaker(String state, Instant openedAt, Instant openUntil) {

        public static final Breaker CLOSED = new Breaker("closed", null, null);
    }

    @Inject
    Pool pool;

    @Inject
    WebhookView webhooks;

    private final Map<String, Long> confirmedClosedAt = new ConcurrentHashMap<>();

    @Override
    public void opened(String webhookId, Instant openedAt, Instant openUntil) {
        confirmedClosedAt.remove(webhookId);
        WebhookState w = webhooks.webhook(webhookId);
        if (w == null) {
            return;
        }
        write("INSERT INTO dispatcher.webhook_breakers AS b (webhook_id, environment, opened_at, open_until, updated_at) "
                + "VALUES ($1, $2, $3, $4, $3) ON CONFLICT (webhook_id) DO UPDATE SET opened_at = excluded.opened_at, "
                + "open_until = excluded.open_until, environment = excluded.environment, updated_at = excluded.updated_at "
                + "WHERE b.updated_at <= excluded.updated_at",
                Tuple.of(webhookId, w.environment(), utc(openedAt), utc(openUntil)), webhookId);
    }

    /** Written only when the row may not say "closed" yet. */
    @Override
    public void succeeded(String webhookId) {
        long now = System.nanoTime();
        Long confirmed = confirmedClosedAt.get(webhookId);
        if (confirmed != null && now - confirmed < CONFIRM_CLOSED_EVERY) {
            return;
        }
        confirmedClosedAt.put(webhookId, now);
        OffsetDateTime at = utc(Instant.now());
        write("UPDATE dispatcher.webhook_breakers SET closed_at = $2, updated_at = $2 WHERE webhook_id = $1 "
                + "AND (closed_at IS NULL OR closed_at < opened_at) AND updated_at <= $2", Tuple.of(webhookId, at),
                webhookId);
    }

    /** The breaker of an Environment's webhook ({@link Breaker#CLOSED} when it never opened). */
    public Uni<Breaker> breaker(String environment, String webhookId) {
        return pool
                .preparedQuery("SELECT * FROM dispatcher.webhook_breakers WHERE webhook_id = $1 AND environment = $2")
                .execute(Tuple.of(webhookId, environment)).map(rows -> rows.iterator().hasNext()
                        ? breaker(rows.iterator().next(), Instant.now()) : Breaker.CLOSED);
    }

    /** The breakers of an Environment's webhooks that are not closed, by webhook id. */
    public Uni<Map<String, Breaker>> notClosed(String environment) {
        return pool.preparedQuery("SELECT * FROM dispatcher.webhook_breakers WHERE environment = $1")
                .execute(Tuple.of(environment)).map(rows -> {
                    Instant now = Instant.now();
                    Map<String, Breaker> out = new HashMap<>();
                    for (Row r : rows) {
                        Breaker b = breaker(r, now);
                        if (!"closed".equals(b.state())) {
                            out.put(r.getString("webhook_id"), b);
                        }
                    }
                    return out;
                });
    }

    private static Breaker breaker(Row r, Instant now) {
        Instant opened = instant(r.getOffsetDateTime("opened_at"));
        Instant until = instant(r.getOffsetDateTime("open_until"));
        Instant closed = instant(r.getOffsetDateTime("closed_at"));
        if (opened == null || closed != null && !closed.isBefore(opened)) {
            return Breaker.CLOSED;
        }
        // past open_until the next attempt is a trial: one success closes it, one failure opens it for longer
        return new Breaker(until != null && until.isAfter(now) ? "open" : "half_open", opened, until);
    }

    private void write(String sql, Tuple args, String webhookId) {
        pool.preparedQuery(sql).execute(args).subscribe().with(rows -> {
        }, e -> LOG.warnf("Could not record the breaker of webhook %s (%s); the API may show it late", webhookId,
                e.toString()));
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

}
