package io.keyhook.webhooks.service;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.common.sql.SqlFailures;
import io.keyhook.core.id.Ids;
import io.keyhook.webhooks.config.NotificationsConfig;
import io.keyhook.webhooks.persistence.ActivityRepository;
import io.keyhook.webhooks.persistence.ActivityRow;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Stores operational events read from {@code keyhook.operational-events} (issue 31): each goes into its Environment's
 * activity feed once per event id, and, when e-mail is on and the Environment has notification addresses, into the
 * notifier's queue. A record that is not a well-formed operational event is skipped (logged), so one bad record never
 * stops the others.
 */
@ApplicationScoped
@RegisterForReflection(targets = OperationalEvent.class) // read with Jackson, also in a native image
public class ActivityStore {

    private static final Logger LOG = Logger.getLogger(ActivityStore.class);
    private static final Pattern ENVIRONMENT = Pattern.compile(Ids.ENVIRONMENT);
    private static final Pattern EVENT_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,200}$");
    private static final Pattern SUBJECT = Pattern.compile("^[\\x21-\\x7e]{1,200}$");
    /** The largest {@code data} kept (its JSON): the emitters write ids, counts and short excerpts only. */
    static final int MAX_DATA = 16 * 1024;

    private final Pool pool;
    private final ActivityRepository repository;
    private final NotificationsConfig config;
    private final ObjectMapper json;

    @Inject
    ActivityStore(Pool pool, ActivityRepository repository, NotificationsConfig config, ObjectMapper json) {
        this.pool = pool;
        this.repository = repository;
        this.config = config;
        this.json = json;
    }

    /** The event in a record's value, or null (logged) when it is not one this service keeps. */
    public ActivityRow parse(String value, Instant receivedAt) {
        try {
            OperationalEvent e = value == null ? null : json.readValue(value, OperationalEvent.class);
            if (e == null || e.environment() == null || !ENVIRONMENT.matcher(e.environment()).matches()
                    || e.id() == null || !EVENT_ID.matcher(e.id()).matches() || e.type() == null
                    || !OperationalEvent.TYPES.contains(e.type()) || e.time() == null
                    || (e.subject() != null && !SUBJECT.matcher(e.subject()).matches())) {
                LOG.warnf(
                        "Skipping a record of the operational-events topic that is not a well-formed operational event");
                return null;
            }
            String data = json.writeValueAsString(e.data() == null ? java.util.Map.of() : e.data());
            if (data.length() > MAX_DATA) {
                LOG.warnf("Skipping operational event %s: its data is over %d characters", e.id(), MAX_DATA);
                return null;
            }
            return new ActivityRow(0, e.environment(), e.id(), e.type(), e.time(), e.subject(), data, receivedAt);
        } catch (JsonProcessingException | RuntimeException ex) {
            LOG.warnf("Skipping a record of the operational-events topic that is not JSON of an operational event");
            return null;
        }
    }

    /**
     * Stores the events in one transaction; should one of them be refused by PostgreSQL for what it holds, each is
     * stored on its own and the refused one skipped.
     */
    public Uni<Void> store(List<ActivityRow> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(c -> all(c, events)).onFailure(SqlFailures::isRowLevel)
                .recoverWithUni(e -> Multi.createFrom().iterable(events).onItem()
                        .transformToUniAndConcatenate(one -> pool.withTransaction(c -> all(c, List.of(one)))
                                .onFailure(SqlFailures::isRowLevel).recoverWithUni(ex -> {
                                    LOG.warnf("Skipping operational event %s: %s", one.eventId(), ex.toString());
                                    return Uni.createFrom().voidItem();
                                }))
                        .collect().last().replaceWithVoid());
    }

    private Uni<Void> all(SqlClient c, List<ActivityRow> events) {
        Instant now = Instant.now();
        return Multi.createFrom().iterable(events).onItem()
                .transformToUniAndConcatenate(e -> repository.insert(c, e).chain(added -> added && config.mailEnabled()
                        ? repository.queueForMail(c, e.environment(), e.eventId(), now) : Uni.createFrom().voidItem()))
                .collect().last().replaceWithVoid();
    }

    /** Deletes feed entries older than {@code keyhook.notifications.activity-retention}; how many. */
    public Uni<Integer> prune() {
        return pool.withTransaction(c -> repository.prune(c, Instant.now().minus(config.activityRetention())));
    }
}
