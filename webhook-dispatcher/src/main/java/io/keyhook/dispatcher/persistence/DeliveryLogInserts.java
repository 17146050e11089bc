package io.keyhook.dispatcher.persistence;

import static io.keyhook.dispatcher.persistence.Timestamps.at;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stores a batch of new deliveries, and the first attempts of those attempted, with two statements whatever the batch's
 * size; in the caller's transaction, so a delivery and its attempt are stored together or not at all. A delivery stored
 * already (its event read again) keeps its row, and this batch's attempt of it is not logged.
 */
@ApplicationScoped
public class DeliveryLogInserts {

    private final OperationalOutbox outbox;

    DeliveryLogInserts(OperationalOutbox outbox) {
        this.outbox = outbox;
    }

    /** The batch without operational events (the direct path's usual case: nothing in it ended failed). */
    public Uni<Void> insert(SqlClient c, List<LogEntry> batch) {
        return insert(c, batch, List.of());
    }

    /**
     * The batch, and {@code events} (issue 31: {@code keyhook.delivery.exhausted} of entries that ended failed) in the
     * same transaction: a third statement only when there are any, and each kept only if its delivery's row was written
     * by this batch (an event read again emits nothing twice).
     */
    public Uni<Void> insert(SqlClient c, List<LogEntry> batch, List<OperationalOutbox.Row> events) {
        int n = batch.size();
        String[] id = new String[n], webhook = new String[n], env = new String[n], event = new String[n],
                msg = new String[n], type = new String[n], key = new String[n], body = new String[n],
                status = new String[n], lastError = new String[n], trace = new String[n], resource = new String[n];
        Integer[] attempts = new Integer[n], lastStatus = new Integer[n];
        OffsetDateTime[] next = new OffsetDateTime[n], created = new OffsetDateTime[n],
                finished = new OffsetDateTime[n];
        List<LogEntry> withAttempt = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LogEntry e = batch.get(i);
            DeliveryRow r = e.row();
            id[i] = r.id();
            webhook[i] = r.webhookId();
            env[i] = r.environment();
            event[i] = r.eventId();
            msg[i] = r.msgId();
            type[i] = r.type();
            key[i] = r.orderingKey();
            body[i] = r.body();
            status[i] = e.status();
            attempts[i] = e.attempts();
            next[i] = at(e.nextAttemptAt());
            lastStatus[i] = e.lastStatus();
            lastError[i] = e.lastError();
            created[i] = at(r.createdAt());
            finished[i] = at(e.finishedAt());
            trace[i] = r.traceparent();
            resource[i] = r.resourceId();
            if (e.attempt() != null) {
                withAttempt.add(e);
            }
        }
        int m = withAttempt.size();
        String[] aId = new String[m], aError = new String[m], aResponse = new String[m];
        Integer[] aNumber = new Integer[m], aLatency = new Integer[m], aStatus = new Integer[m];
        OffsetDateTime[] aStarted = new OffsetDateTime[m];
        for (int i = 0; i < m; i++) {
            LogEntry e = withAttempt.get(i);
            LogEntry.AttemptRecord a = e.attempt();
            aId[i] = e.row().id();
            aNumber[i] = a.number();
            aStarted[i] = at(a.startedAt());
            aLatency[i] = a.latencyMs();
            aStatus[i] = a.statusCode();
            aError[i] = a.error();
            aResponse[i] = a.response();
        }
        return c.preparedQuery("insert into dispatcher.deliveries (id, webhook_id, environment,"
                + " event_id, msg_id, type, ordering_key, body, status, attempts, next_attempt_at, last_status,"
                + " last_error, created_at, finished_at, traceparent, resource_id) select * from unnest($1::text[],"
                + " $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],"
                + " $10::int[], $11::timestamptz[], $12::int[], $13::text[], $14::timestamptz[], $15::timestamptz[],"
                + " $16::text[], $17::text[])" + " on conflict (webhook_id, event_id) do nothing")
                .execute(Tuple.from(new Object[] { id, webhook, env, event, msg, type, key, body, status, attempts,
                        next, lastStatus, lastError, created, finished, trace, resource }))
                .chain(() -> m == 0 ? Uni.createFrom().voidItem()
                        : c.preparedQuery("insert into dispatcher.attempts (delivery_id, attempt, started_at,"
                                + " latency_ms, status_code, error, response) select u.* from unnest($1::text[],"
                                + " $2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::text[], $7::text[])"
                                + " as u(delivery_id, attempt, started_at, latency_ms, status_code, error, response)"
                                // a re-read event whose row exists already: its older row stays, this attempt is not
                                // logged against a row that was never written
                                + " where exists (select 1 from dispatcher.deliveries d where d.id = u.delivery_id)"
                                + " on conflict do nothing")
                                .execute(Tuple.from(
                                        new Object[] { aId, aNumber, aStarted, aLatency, aStatus, aError, aResponse }))
                                .replaceWithVoid())
                .chain(() -> outbox.append(c, events));
    }
}
