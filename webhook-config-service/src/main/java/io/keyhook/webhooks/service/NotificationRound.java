package io.keyhook.webhooks.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.webhooks.config.NotificationsConfig;
import io.keyhook.webhooks.persistence.ActivityRepository;
import io.keyhook.webhooks.persistence.ActivityRow;
import io.keyhook.webhooks.persistence.NotificationSettingsRepository;
import io.keyhook.webhooks.persistence.NotificationWindowRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The e-mail notifier (issue 31): every {@code keyhook.notifications.check-interval}, each Environment whose message is
 * due gets one, with every event queued since its last one (one event, or a digest). Per Environment, in one
 * transaction: its window row is locked ({@code FOR UPDATE SKIP LOCKED}: another replica's round skips it), the message
 * is sent, and its events are marked sent, so a message is sent once for the same events; a failed send (SMTP down)
 * leaves them queued and schedules a retry. Each Environment is handled on its own: one's failure never stops
 * another's. Every replica runs it. A crash between the SMTP server's acceptance and the commit sends that message
 * again on the next round (at least once, never lost).
 */
@ApplicationScoped
public class NotificationRound {

    private static final Logger LOG = Logger.getLogger(NotificationRound.class);

    /** Events one message covers at most; the next round sends the rest. */
    static final int MAX_EVENTS = 1000;

    private final Pool pool;
    private final NotificationsConfig config;
    private final NotificationWindowRepository windows;
    private final ActivityRepository activity;
    private final NotificationSettingsRepository settings;
    private final ReactiveMailer mailer;
    private final ObjectMapper json;
    private final Counter sentMessages;
    private final Counter failedSends;

    @Inject
    NotificationRound(Pool pool, NotificationsConfig config, NotificationWindowRepository windows,
            ActivityRepository activity, NotificationSettingsRepository settings, ReactiveMailer mailer,
            ObjectMapper json, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.windows = windows;
        this.activity = activity;
        this.settings = settings;
        this.mailer = mailer;
        this.json = json;
        this.sentMessages = Counter.builder("keyhook.webhooks.notifications.sent")
                .description("Notification e-mails sent (one event or a digest)").register(registry);
        this.failedSends = Counter.builder("keyhook.webhooks.notifications.failed")
                .description("Notification e-mails not sent (SMTP down or refusing); their events wait for a retry")
                .register(registry);
    }

    @Scheduled(every = "${keyhook.notifications.check-interval:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return round().onFailure().invoke(e -> LOG.warnf("Notifier round failed: %s", e.toString())).onFailure()
                .recoverWithNull().replaceWithVoid();
    }

    /** One round over the due Environments; how many messages it sent. */
    public Uni<Integer> round() {
        if (!config.mailEnabled()) {
            return Uni.createFrom().item(0);
        }
        Instant now = Instant.now();
        return pool.withConnection(c -> windows.due(c, now, config.gather(), config.minInterval(), 100))
                .chain(envs -> Multi.createFrom().iterable(envs).onItem().transformToUniAndConcatenate(this::one)
                        .collect().asList())
                .map(sent -> (int) sent.stream().filter(Boolean::booleanValue).count());
    }

    /** The Environment's message, if it is still due and no other round holds it; whether one was sent. */
    private Uni<Boolean> one(String env) {
        Instant now = Instant.now();
        return pool.withTransaction(c -> windows.claim(c, env, now, config.minInterval()).chain(claimed -> {
            if (!claimed) {
                return Uni.createFrom().item(false);
            }
            return activity.pending(c, env, MAX_EVENTS)
                    .chain(events -> settings.emails(c, env).chain(to -> send(c, env, events, to, now)));
        })).onFailure().recoverWithItem(e -> {
            LOG.warnf("Notifications of Environment %s not handled this round: %s", env, e.toString());
            return false;
        });
    }

    private Uni<Boolean> send(SqlClient c, String env, List<ActivityRow> events, List<String> to, Instant now) {
        if (events.isEmpty() || to.isEmpty()) {
            // the addresses were removed since (or the feed entries pruned): nobody to tell
            return windows.dropped(c, env, now).replaceWith(false);
        }
        NotificationMail.Message m = NotificationMail.of(env, events, config.consoleUrl(), json);
        Mail mail = Mail.withText(to.get(0), m.subject(), m.text()).setTo(to);
        List<String> ids = events.stream().map(ActivityRow::eventId).toList();
        return mailer.send(mail).ifNoItem().after(config.sendTimeout()).fail()
                .chain(() -> windows.sent(c, env, ids, Instant.now())).invoke(() -> sentMessages.increment())
                .replaceWith(true).onFailure().recoverWithUni(e -> {
                    failedSends.increment();
                    LOG.warnf("Notification e-mail for Environment %s not sent (%d event(s) kept, retried in %s): %s",
                            env, ids.size(), config.retryAfter(), e.toString());
                    return windows.failed(c, env, Instant.now().plus(config.retryAfter()),
                            NotificationMail.bodySafe(String.valueOf(e), 300)).replaceWith(false);
                });
    }
}
