package io.keyhook.dispatcher.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.common.kafka.KafkaSettings;
import io.keyhook.common.kafka.OperationalEventRows;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.GapEntries;
import io.keyhook.dispatcher.persistence.LogEntry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Keeps each webhook's gap manifest (issue 31) in the transaction that records a delivery's outcome: a delivery that
 * ends {@code failed} or {@code expired} lists its record; a delivered newer event of the record resolves it; and the
 * first delivered attempt after entries were recorded emits {@code keyhook.gaps.available} through the outbox, once.
 * The three places a delivery ends (the direct path's log writer, the engine, the held-delivery expiry) each call one
 * method here with their transaction.
 */
@ApplicationScoped
public class GapManifest {

    static final String SOURCE = "/keyhook/webhook-dispatcher";
    static final String FAILED = DeliveryRow.FAILED;

    private final GapEntries entries;
    private final KafkaSettings kafka;
    private final ObjectMapper json;

    GapManifest(GapEntries entries, KafkaSettings kafka, ObjectMapper json) {
        this.entries = entries;
        this.kafka = kafka;
        this.json = json;
    }

    /** The direct path wrote {@code batch}: its failed deliveries are recorded, its delivered ones resolve. */
    public Uni<Void> afterLogged(SqlClient c, List<LogEntry> batch) {
        List<String> failed = new ArrayList<>();
        List<DeliveryRow> delivered = new ArrayList<>();
        for (LogEntry e : batch) {
            if (FAILED.equals(e.status())) {
                failed.add(e.row().id());
            } else if (DeliveryRow.DELIVERED.equals(e.status())) {
                delivered.add(e.row());
            }
        }
        return ended(c, failed).chain(() -> delivered(c, delivered));
    }

    /** The engine recorded an attempt of {@code d} that left it {@code status}. */
    public Uni<Void> afterAttempt(SqlClient c, DeliveryRow d, String status) {
        if (FAILED.equals(status)) {
            return ended(c, List.of(d.id()));
        }
        return DeliveryRow.DELIVERED.equals(status) ? delivered(c, List.of(d)) : Uni.createFrom().voidItem();
    }

    /**
     * These deliveries may have just ended (failed or expired): each one that did lists its record. Deliveries that are
     * not about a record (no {@code data.resource} and {@code data.resourceId} in the body) are left out.
     */
    public Uni<Void> ended(SqlClient c, List<String> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        return entries.ended(c, deliveryIds).chain(ended -> {
            // one entry per (webhook, record): the latest event; rows come in sequence order
            Map<String, GapEntries.NewEntry> latest = new LinkedHashMap<>();
            for (GapEntries.Ended e : ended) {
                String[] record = record(e.body());
                if (record != null) {
                    latest.put(e.webhookId() + '\n' + e.orderingKey(),
                            new GapEntries.NewEntry(e, record[0], record[1]));
                }
            }
            return entries.record(c, new ArrayList<>(latest.values()), now);
        });
    }

    private Uni<Void> delivered(SqlClient c, List<DeliveryRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        String[] ids = rows.stream().map(DeliveryRow::id).toArray(String[]::new);
        String[] webhooks = rows.stream().map(DeliveryRow::webhookId).toArray(String[]::new);
        String[] keys = rows.stream().map(DeliveryRow::orderingKey).toArray(String[]::new);
        Set<String> distinct = new LinkedHashSet<>(List.of(webhooks));
        // resolve first, so the announcement counts only what is still missing
        return entries.resolve(c, ids, webhooks, keys, now)
                .chain(() -> entries.clearPending(c, distinct.stream().sorted().toArray(String[]::new), now))
                .chain(recoveries -> Multi.createFrom().iterable(recoveries).filter(r -> r.gapCount() > 0).onItem()
                        .transformToUniAndConcatenate(
                                r -> OperationalEventRows.append(c, "dispatcher", kafka, event(r, now), json))
                        .collect().last().replaceWithVoid());
    }

    /** The {@code keyhook.gaps.available} event of a recovery; its id names the fact (webhook, last recorded entry). */
    static OperationalEvent event(GapEntries.Recovery r, Instant now) {
        String since = r.since().toString();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("webhookId", r.webhookId());
        data.put("gapCount", r.gapCount());
        data.put("since", since);
        data.put("href", href(r.environment(), r.webhookId(), since));
        return new OperationalEvent("opev_gaps_" + r.webhookId() + "_" + r.lastRecordedSequence(), SOURCE,
                OperationalEvent.GAPS_AVAILABLE, now, r.webhookId(), r.environment(), data);
    }

    /** Where the manifest is read from {@code since} on. */
    public static String href(String environment, String webhookId, String since) {
        return "/api/v1/environments/" + environment + "/webhooks/" + webhookId + "/gaps?since="
                + URLEncoder.encode(since, StandardCharsets.UTF_8);
    }

    /** {resource, resourceId} of a delivery body, or null when it is not about a record. */
    private String[] record(String body) {
        try {
            JsonNode data = json.readTree(body).path("data");
            JsonNode resource = data.path("resource");
            JsonNode resourceId = data.path("resourceId");
            return resource.isTextual() && resourceId.isTextual()
                    ? new String[] { resource.asText(), resourceId.asText() } : null;
        } catch (Exception e) {
            return null;
        }
    }
}
